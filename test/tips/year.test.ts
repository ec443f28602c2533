import { describe, expect, it } from "vitest";
import type { Channel } from "../../src/channels/channel.ts";
import { createPipeline } from "../../src/core/pipeline.ts";
import { ageInMonths } from "../../src/core/suggest.ts";
import { newProfile, type Outbound, type Profile } from "../../src/core/types.ts";
import type { Job, JobQueue } from "../../src/jobs/queue.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import type { Store } from "../../src/store/store.ts";
import { createTipsRunner } from "../../src/tips/runner.ts";
import { localTime, nextSlot, weekOf } from "../../src/tips/schedule.ts";
import { realContent } from "../helpers/content.ts";

/** A queue that only collects: the test runs the jobs itself, at simulated times. */
function collectingQueue(): JobQueue & { jobs: Job[] } {
  const jobs: Job[] = [];
  return {
    jobs,
    async add(list) {
      for (const j of list) if (!jobs.some((x) => x.id === j.id)) jobs.push(j);
    },
    start() {},
    async idle() {},
    async close() {},
  };
}

interface Sent {
  familyId: string;
  at: Date;
  messages: Outbound[];
}

function recordingChannel(name: Channel["name"], sent: Sent[], clock: () => Date): Channel {
  return {
    name,
    mounts: [],
    async send(familyId, messages) {
      sent.push({ familyId, at: clock(), messages: [...messages] });
      return { status: "sent", count: messages.length };
    },
    async close() {},
  };
}

const FAMILIES = [
  // London and New York change clocks on different dates; Sydney in the other direction.
  {
    id: "telegram:1001",
    tz: "Europe/London",
    days: [1, 3, 5],
    hour: 18,
    minute: 0,
    born: "2024-01",
    locale: "en",
  },
  {
    id: "telegram:1002",
    tz: "America/New_York",
    days: [2, 5],
    hour: 8,
    minute: 0,
    born: "2025-07",
    locale: "es",
  },
  {
    id: "telegram:1003",
    tz: "Asia/Kolkata",
    days: [2, 4, 6],
    hour: 20,
    minute: 30,
    born: "2019-03",
    locale: "hi",
  },
  {
    id: "telegram:1004",
    tz: "America/St_Johns",
    days: [0],
    hour: 20,
    minute: 0,
    born: "2021-09",
    locale: "fr",
  },
  {
    id: "telegram:1005",
    tz: "Australia/Sydney",
    days: [1, 3, 5],
    hour: 12,
    minute: 0,
    born: "2022-11",
    locale: "sw",
  },
];

async function subscribe(store: Store, f: (typeof FAMILIES)[number], at: Date) {
  const profile: Profile = {
    ...newProfile(),
    locale: f.locale,
    consent: true,
    children: [{ birthMonth: f.born }],
    lastInboundAt: at.getTime(),
    tz: f.tz,
    tips: { perWeek: f.days.length, days: f.days, hour: f.hour, minute: f.minute, tz: f.tz },
  };
  await store.saveFamily(f.id, { profile, session: null }, { sessionTtlSeconds: 60 });
  await store.setTipDue(f.id, nextSlot(profile.tips as NonNullable<Profile["tips"]>, at).getTime());
}

describe("weekly tips over a year of simulated time", () => {
  it("sends each family its tips: right count a week, at its local hour, never quiet, never twice, no repeats, ages advancing", async () => {
    const start = new Date("2026-01-05T00:00:00Z"); // a Monday
    let clock = start;
    const now = () => clock;
    const store = createMemoryStore({ now: () => clock.getTime() });
    const content = realContent();
    const sent: Sent[] = [];
    const channels = new Map([["telegram", recordingChannel("telegram", sent, now)]]);
    // Two server processes on one store, each with its own pipeline and queue.
    const processes = [0, 1].map(() => {
      const queue = collectingQueue();
      const pipeline = createPipeline({ store, content, now });
      return {
        queue,
        pipeline,
        runner: createTipsRunner({ store, queue, pipeline, channels, content, now }),
      };
    });
    for (const f of FAMILIES) await subscribe(store, f, start);

    const end = new Date(start.getTime() + 364 * 24 * 3600 * 1000);
    let liked = 0;
    for (let t = start.getTime(); t < end.getTime(); t += 10 * 60 * 1000) {
      clock = new Date(t);
      // Both processes look for due tips at the same moment (both see the same families due).
      await Promise.all(processes.map((p) => p.runner.tick(clock)));
      // Both processes run what they took, at the same time.
      await Promise.all(
        processes.map(async (p) => {
          const jobs = p.queue.jobs.splice(0);
          for (const j of jobs)
            if (j.data.kind === "tip") await p.runner.run(j.data.familyId, j.data.slot);
        }),
      );
      // The London parent answers every follow-up with 👍: it becomes feedback.
      const last = sent.at(-1);
      if (
        last?.familyId === "telegram:1001" &&
        last.at.getTime() === t &&
        last.messages[0]?.choices
      ) {
        await processes[0]?.pipeline.handle({
          familyId: last.familyId,
          event: { kind: "choice", id: "up" },
        });
        liked++;
      }
    }

    const titles = new Map(
      content.catalog.activities.map((a) => [content.catalog.text(a.id, "en").title, a]),
    );
    for (const f of FAMILIES) {
      const mine = sent.filter((s) => s.familyId === f.id);
      // Never in quiet hours, always at the chosen local time.
      for (const s of mine) {
        const l = localTime(s.at, f.tz);
        expect([l.hour, l.minute]).toEqual([f.hour, f.minute]);
        expect(f.days).toContain(l.weekday);
      }
      // The right number every week (52 whole weeks), and never two in one slot.
      const weeks = new Map<string, number>();
      for (const s of mine) weeks.set(weekOf(s.at, f.tz), (weeks.get(weekOf(s.at, f.tz)) ?? 0) + 1);
      const full = [...weeks.values()].slice(1, -1);
      expect(full.length).toBeGreaterThanOrEqual(50);
      for (const n of full) expect(n).toBe(f.days.length);
      expect(new Set(mine.map((s) => s.at.getTime())).size).toBe(mine.length);
      // Short, in the family's language.
      for (const s of mine)
        expect([...(s.messages[0]?.text ?? "")].length).toBeLessThanOrEqual(400);
      const state = await store.loadFamily(f.id);
      expect(state?.profile.tips?.seen?.length).toBeGreaterThanOrEqual(50);
      expect(new Set(state?.profile.tips?.seen).size).toBe(state?.profile.tips?.seen?.length);
      // Each week's activity fits the child's age at that time (ages advance).
      for (const [i, id] of (state?.profile.tips?.seen ?? []).entries()) {
        const a = content.catalog.byId.get(id);
        const when = new Date(start.getTime() + i * 7 * 24 * 3600 * 1000);
        const age = ageInMonths(f.born, when);
        expect(a?.ages[0]).toBeLessThanOrEqual(age + 1);
        expect(a?.ages[1]).toBeGreaterThanOrEqual(age - 1);
      }
    }
    // English family: its activity tips name catalog activities; its 👍 became feedback.
    const en = sent.filter((s) => s.familyId === "telegram:1001");
    const activityTitles = en
      .map((s) => /🌱 This week: (.+) \(\d+ min/.exec(s.messages[0]?.text ?? "")?.[1])
      .filter((x): x is string => Boolean(x));
    expect(activityTitles.length).toBeGreaterThanOrEqual(50);
    for (const title of activityTitles) expect(titles.has(title)).toBe(true);
    expect(liked).toBeGreaterThanOrEqual(50);
    const profile = (await store.loadFamily("telegram:1001"))?.profile;
    expect(
      Object.values(profile?.feedback ?? {}).filter((v) => v === 1).length,
    ).toBeGreaterThanOrEqual(50);
    // The year's modes rotate: at least 8 of the 11 learning modes for every family.
    for (const f of FAMILIES) {
      const seen = (await store.loadFamily(f.id))?.profile.tips?.seen ?? [];
      const modes = new Set(seen.flatMap((id) => content.catalog.byId.get(id)?.modes ?? []));
      expect(modes.size).toBeGreaterThanOrEqual(8);
    }
  }, 120_000);
});
