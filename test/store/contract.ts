import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { newProfile } from "../../src/core/types.ts";
import type { Store } from "../../src/store/store.ts";

/** What the contract needs besides the store: a way to move time and list the keys left behind. */
export interface ContractHarness {
  store: Store;
  /** Makes `seconds` pass for TTLs (a fake clock, or a real wait for Redis). */
  advance(seconds: number): Promise<void>;
  /** Every key the store holds that mentions `text`. */
  keysContaining(text: string): Promise<string[]>;
}

const state = () => ({
  profile: { ...newProfile(), locale: "es", consent: true, children: [{ birthMonth: "2022-05" }] },
  session: {
    flow: "idea",
    step: "show",
    vars: { shown_id: "puddle-boats" },
    choices: [{ id: "another", label: "Otra idea" }],
  },
});

/** The store contract: every Store implementation runs this suite. */
export function storeContract(name: string, make: () => Promise<ContractHarness>) {
  describe(`${name} store contract`, () => {
    let h: ContractHarness;
    const harnesses: ContractHarness[] = [];
    beforeEach(async () => {
      h = await make();
      harnesses.push(h);
    });
    afterAll(async () => {
      for (const x of harnesses) await x.store.close();
    });
    const id = () => `telegram:${Math.random().toString(36).slice(2)}`;

    it("answers null for a family never seen", async () => {
      expect(await h.store.loadFamily(id())).toBeNull();
    });

    it("keeps profile and session, as values (not shared objects)", async () => {
      const fam = id();
      const s = state();
      await h.store.saveFamily(fam, s, { sessionTtlSeconds: 60 });
      s.profile.children.push({ birthMonth: "2020-01" });
      expect(await h.store.loadFamily(fam)).toEqual(state());
    });

    it("saving no session removes the old one, keeps the profile", async () => {
      const fam = id();
      await h.store.saveFamily(fam, state(), { sessionTtlSeconds: 60 });
      await h.store.saveFamily(fam, { ...state(), session: null }, { sessionTtlSeconds: 60 });
      expect(await h.store.loadFamily(fam)).toEqual({ ...state(), session: null });
    });

    it("sessions expire, profiles do not", async () => {
      const fam = id();
      await h.store.saveFamily(fam, state(), { sessionTtlSeconds: 1 });
      await h.advance(1.5);
      const loaded = await h.store.loadFamily(fam);
      expect(loaded?.session).toBeNull();
      expect(loaded?.profile).toEqual(state().profile);
    });

    it("delete leaves no key of the family", async () => {
      const fam = id();
      const other = id();
      await h.store.saveFamily(fam, state(), { sessionTtlSeconds: 60 });
      await h.store.saveFamily(other, state(), { sessionTtlSeconds: 60 });
      expect((await h.keysContaining(fam)).length).toBeGreaterThan(0);
      await h.store.deleteFamily(fam);
      expect(await h.keysContaining(fam)).toEqual([]);
      expect(await h.store.loadFamily(fam)).toBeNull();
      expect(await h.store.loadFamily(other)).not.toBeNull();
    });

    it("firstSeen is true once per key within its TTL, then again after", async () => {
      const key = `telegram:update:${id()}`;
      expect(await h.store.firstSeen(key, 1)).toBe(true);
      expect(await h.store.firstSeen(key, 1)).toBe(false);
      expect(await h.store.firstSeen(`${key}-other`, 1)).toBe(true);
      await h.advance(1.5);
      expect(await h.store.firstSeen(key, 1)).toBe(true);
    });

    it("firstSeen lets exactly one of many concurrent callers through", async () => {
      const key = `slack:event:${id()}`;
      const results = await Promise.all(
        Array.from({ length: 20 }, () => h.store.firstSeen(key, 60)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("finds due tips soonest first, and moves a due time only from where it was", async () => {
      const [a, b, c] = [id(), id(), id()];
      await h.store.setTipDue(a, 2_000);
      await h.store.setTipDue(b, 1_000);
      await h.store.setTipDue(c, 9_000);
      expect(await h.store.dueTips(5_000, 10)).toEqual([
        { id: b, due: 1_000 },
        { id: a, due: 2_000 },
      ]);
      expect(await h.store.dueTips(5_000, 1)).toEqual([{ id: b, due: 1_000 }]);
      expect(await h.store.moveTipDue(b, 1_000, 7_000)).toBe(true);
      // A second process with the same stale view moves nothing.
      expect(await h.store.moveTipDue(b, 1_000, 8_000)).toBe(false);
      expect(await h.store.dueTips(7_500, 10)).toEqual([
        { id: a, due: 2_000 },
        { id: b, due: 7_000 },
      ]);
      expect(await h.store.tipsScheduled()).toBe(3);
      await h.store.setTipDue(a, null);
      await h.store.saveFamily(c, state(), { sessionTtlSeconds: 60 });
      await h.store.deleteFamily(c);
      expect(await h.store.dueTips(10_000, 10)).toEqual([{ id: b, due: 7_000 }]);
    });

    it("marks work done until its TTL", async () => {
      const key = `tip:${id()}:1000`;
      expect(await h.store.isDone(key)).toBe(false);
      await h.store.markDone(key, 1);
      expect(await h.store.isDone(key)).toBe(true);
      expect(await h.store.isDone(`${key}0`)).toBe(false);
      await h.advance(1.5);
      expect(await h.store.isDone(key)).toBe(false);
    });

    it("keeps a broadcast's record and counts, added to atomically", async () => {
      const bid = id();
      const record = {
        id: bid,
        opportunityId: "opp1",
        by: "api",
        createdAt: 1,
        radiusKm: 5,
        reach: { total: 3, byChannel: { telegram: 3 }, byLanguage: { en: 2, es: 1 } },
      };
      expect(await h.store.loadBroadcast(bid)).toBeNull();
      await h.store.saveBroadcast(record);
      await Promise.all(
        Array.from({ length: 10 }, () => h.store.countBroadcast(bid, { sent: 1, queued: 0 })),
      );
      await h.store.countBroadcast(bid, { "skipped:stopped": 2, skipped: 2 });
      expect(await h.store.loadBroadcast(bid)).toEqual({
        record,
        counts: { sent: 10, queued: 0, skipped: 2, "skipped:stopped": 2 },
      });
    });

    it("hands each due reminder to one taker only", async () => {
      const fam = id();
      await h.store.setReminder(fam, "a", 1_000);
      await h.store.setReminder(fam, "b", 5_000);
      await h.store.setReminder(fam, "c", 2_000);
      await h.store.setReminder(fam, "c", null);
      const [first, second] = await Promise.all([
        h.store.takeDueReminders(3_000, 10),
        h.store.takeDueReminders(3_000, 10),
      ]);
      const mine = [...(first ?? []), ...(second ?? [])].filter((r) => r.familyId === fam);
      expect(mine).toEqual([{ familyId: fam, opportunityId: "a", at: 1_000 }]);
      const later = (await h.store.takeDueReminders(6_000, 100)).filter((r) => r.familyId === fam);
      expect(later).toEqual([{ familyId: fam, opportunityId: "b", at: 5_000 }]);
    });

    it("answers ping", async () => {
      expect(await h.store.ping()).toBe(true);
    });
  });
}
