import { describe, expect, it } from "vitest";
import { recommend, seededRandom } from "../../src/catalog/recommend.ts";
import type { Activity } from "../../src/catalog/schema.ts";
import { type Energy, MODES, type Mode, SETTINGS, type Setting } from "../../src/core/types.ts";
import { realContent } from "../helpers/content.ts";

/**
 * 1 000 simulated families with random profiles, requests and feedback over 12 weeks,
 * straight through the recommender. Asserts the catalog issue's properties and prints figures.
 */
describe("simulation: 1 000 families over 12 weeks", () => {
  it("keeps the hard filters, never repeats within 40, varies modes, and learns from feedback", () => {
    const activities = realContent().catalog.activities;
    const rand = seededRandom(2026);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
    let suggestions = 0;
    let relaxedCount = 0;
    let repeats = 0;
    const windows = { checked: 0, belowSix: 0 };
    const seen = new Set<string>();
    const likedShare = { before: 0, after: 0, beforeN: 0, afterN: 0 };
    const violations: string[] = [];

    for (let f = 0; f < 1000; f++) {
      const age = Math.floor(rand() * 144);
      const interests = Array.from({ length: Math.floor(rand() * 3) }, () => pick(MODES));
      const loves = pick(MODES);
      /** Half the families just tap "idea"; the others often say what they want. */
      const requester = rand() < 0.5;
      const recent: string[] = [];
      const feedback: Record<string, 1 | -1> = {};
      const free: boolean[] = [];
      for (let week = 0; week < 12; week++) {
        const perWeek = 2 + Math.floor(rand() * 4);
        for (let k = 0; k < perWeek; k++) {
          const ageNow = Math.min(155, age + Math.floor((week * 7) / 30));
          const minutes = requester && rand() < 0.4 ? pick([5, 10, 15, 30]) : undefined;
          const setting = requester && rand() < 0.4 ? pick<Setting>(SETTINGS) : undefined;
          const energy = requester && rand() < 0.2 ? pick<Energy>(["calm", "active"]) : undefined;
          const wet = requester && rand() < 0.2;
          const r = recommend({
            activities,
            ageMonths: ageNow,
            minutes,
            setting,
            energy,
            wet,
            interests,
            feedback,
            recent,
            seed: f * 1000 + week * 10 + k,
          });
          if (!r) continue;
          const a: Activity = r.activity;
          suggestions++;
          seen.add(a.id);
          if (r.relaxed.length > 0) relaxedCount++;
          if (a.ages[0] > ageNow || a.ages[1] < ageNow)
            violations.push(`age ${ageNow} got ${a.id}`);
          if (wet && a.weather === "dry") violations.push(`rain got ${a.id}`);
          if (minutes !== undefined && a.minutes > minutes && !r.relaxed.includes("minutes"))
            violations.push(`minutes ${minutes} got ${a.id}`);
          if (setting && a.setting !== setting && !r.relaxed.includes("setting"))
            violations.push(`${setting} got ${a.id}`);
          if (recent.slice(-40).includes(a.id)) {
            repeats++;
            if (!r.relaxed.includes("recent")) violations.push(`repeat of ${a.id} not reported`);
          }
          const narrow = minutes !== undefined || setting !== undefined || energy !== undefined;
          free.push(!narrow);
          recent.push(a.id);
          const loved = a.modes.includes(loves);
          if (week < 6) {
            likedShare.before += loved ? 1 : 0;
            likedShare.beforeN++;
          } else {
            likedShare.after += loved ? 1 : 0;
            likedShare.afterN++;
          }
          // Families say 👍 to what has the mode their child loves, and are mixed about the rest.
          const r2 = rand();
          if (loved && r2 < 0.6) feedback[a.id] = 1;
          else if (!loved && r2 < 0.3) feedback[a.id] = -1;
          else if (!loved && r2 < 0.45) feedback[a.id] = 1;
        }
      }
      for (let i = 10; i <= recent.length; i++) {
        if (!free.slice(i - 10, i).every(Boolean)) continue;
        windows.checked++;
        const modes = new Set<Mode>(
          recent.slice(i - 10, i).flatMap((id) => activities.find((a) => a.id === id)?.modes ?? []),
        );
        if (modes.size < 6) windows.belowSix++;
      }
    }
    const before = likedShare.before / likedShare.beforeN;
    const after = likedShare.after / likedShare.afterN;
    console.log(
      [
        `simulation: ${suggestions} suggestions to 1000 families`,
        `catalog coverage: ${seen.size} of ${activities.length} activities suggested`,
        `wishes dropped (said so): ${((100 * relaxedCount) / suggestions).toFixed(1)}%; repeats within 40 (only when all that fit were seen): ${((100 * repeats) / suggestions).toFixed(2)}%`,
        `mode variety: ${windows.checked} windows of 10 free suggestions, ${windows.belowSix} with under 6 of 11 modes`,
        `a family's loved mode: ${(100 * before).toFixed(1)}% of ideas in weeks 1-6, ${(100 * after).toFixed(1)}% in weeks 7-12`,
      ].join("\n"),
    );
    expect(violations.slice(0, 5)).toEqual([]);
    expect(windows.checked).toBeGreaterThan(1000);
    expect(windows.belowSix / windows.checked).toBeLessThan(0.02);
    expect(after).toBeGreaterThan(before);
    expect(seen.size / activities.length).toBeGreaterThan(0.9);
  });
});
