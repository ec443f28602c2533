import { describe, expect, it } from "vitest";
import { recommend } from "../../src/catalog/recommend.ts";
import type { Activity } from "../../src/catalog/schema.ts";
import type { MODES } from "../../src/core/types.ts";
import { realContent } from "../helpers/content.ts";

const activities = () => realContent().catalog.activities;
const base = { interests: [], feedback: {}, recent: [] as string[], seed: 1 };

function walk(n: number, input: Partial<Parameters<typeof recommend>[0]> = {}): Activity[] {
  const recent: string[] = [];
  const shown: Activity[] = [];
  for (let i = 0; i < n; i++) {
    const r = recommend({
      ...base,
      activities: activities(),
      ...input,
      recent: [...recent],
      seed: 100 + i,
    });
    if (!r) break;
    shown.push(r.activity);
    recent.push(r.activity.id);
  }
  return shown;
}

describe("recommend", () => {
  it("honours age, minutes and setting when something fits", () => {
    for (const [age, minutes, setting] of [
      [48, 10, "home"],
      [8, 15, "home"],
      [110, 30, "outdoors"],
      [30, 20, "out"],
    ] as const) {
      for (let seed = 0; seed < 20; seed++) {
        const r = recommend({
          ...base,
          activities: activities(),
          ageMonths: age,
          minutes,
          setting,
          seed,
        });
        expect(r?.relaxed).toEqual([]);
        const a = r?.activity as Activity;
        expect(a.ages[0]).toBeLessThanOrEqual(age);
        expect(a.ages[1]).toBeGreaterThanOrEqual(age);
        expect(a.minutes).toBeLessThanOrEqual(minutes);
        expect(a.setting).toBe(setting);
      }
    }
  });

  it("never repeats any of the last 20 shown", () => {
    const shown = walk(60, { ageMonths: 60 }).map((a) => a.id);
    for (let i = 0; i < shown.length; i++) {
      expect(shown.slice(Math.max(0, i - 20), i)).not.toContain(shown[i]);
    }
  });

  it("is deterministic for a seed, and varies with it", () => {
    const input = { ...base, activities: activities(), ageMonths: 50 };
    expect(recommend({ ...input, seed: 7 })?.activity.id).toBe(
      recommend({ ...input, seed: 7 })?.activity.id,
    );
    const ids = new Set(
      Array.from({ length: 30 }, (_, s) => recommend({ ...input, seed: s })?.activity.id),
    );
    expect(ids.size).toBeGreaterThan(3);
  });

  it("ranks by interests", () => {
    const count = (interests: (typeof MODES)[number][]) =>
      walk(10, { ageMonths: 72, interests }).filter((a) => a.modes.includes("nature")).length;
    expect(count(["nature"])).toBeGreaterThan(count([]));
  });

  it("feedback changes what comes next: a 👎 activity's modes sink, a 👍 activity's rise", () => {
    const pool = activities().filter((a) => a.ages[0] <= 60 && a.ages[1] >= 60);
    const liked = pool.find((a) => a.modes.includes("exploring")) as Activity;
    const numbers = (feedback: Record<string, 1 | -1>) =>
      Array.from({ length: 60 }, (_, seed) =>
        recommend({ ...base, activities: activities(), ageMonths: 60, feedback, seed }),
      ).filter((r) => r && r.activity.id !== liked.id && r.activity.modes.includes("exploring"))
        .length;
    expect(numbers({ [liked.id]: 1 })).toBeGreaterThan(numbers({}));
    expect(numbers({ [liked.id]: -1 })).toBeLessThan(numbers({}));
  });

  it("varies learning modes: ten suggestions span many modes", () => {
    const modes = new Set(walk(10, { ageMonths: 60 }).flatMap((a) => a.modes));
    expect(modes.size).toBeGreaterThanOrEqual(6);
  });

  it("drops wishes in order and says so when nothing fits, never the age", () => {
    const r = recommend({
      ...base,
      activities: activities(),
      ageMonths: 4,
      minutes: 1,
      setting: "out",
    });
    expect(r?.relaxed).toContain("minutes");
    expect(r?.activity.ages[0]).toBeLessThanOrEqual(4);
    expect(r?.activity.ages[1]).toBeGreaterThanOrEqual(4);
  });

  it("repeats only when every fitting activity was seen, and then one shown long ago", () => {
    const fitting = activities().filter(
      (a) => a.ages[0] <= 2 && a.ages[1] >= 2 && a.setting === "home",
    );
    const recent = fitting.map((a) => a.id);
    const r = recommend({
      ...base,
      activities: activities(),
      ageMonths: 2,
      setting: "home",
      recent,
    });
    expect(r?.relaxed).toEqual(["recent"]);
    expect(recent.indexOf(r?.activity.id as string)).toBeLessThan(recent.length / 2);
  });
});
