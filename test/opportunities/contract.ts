import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { distanceKm } from "../../src/opportunities/places.ts";
import type { NewOpportunity } from "../../src/opportunities/schema.ts";
import type { OpportunityStore } from "../../src/opportunities/store.ts";

/** Real points in and near Bristol (WGS84). */
export const POINTS = {
  castlePark: { lat: 51.4558, lng: -2.5881 },
  centralLibrary: { lat: 51.4526, lng: -2.5997 },
  eastvillePark: { lat: 51.4757, lng: -2.5585 },
  /** Portishead, about 12 km west of Castle Park. */
  portishead: { lat: 51.484, lng: -2.7626 },
} as const;

/** A valid opportunity: Saturday 23 March 2030, 10:00–11:00 at the Central Library, 0–3 years. */
export function sample(overrides: Partial<NewOpportunity> = {}): NewOpportunity {
  return {
    title: { en: "Rhyme time" },
    description: { en: "Songs and rhymes for babies and toddlers, with their grown-ups." },
    startsAt: "2030-03-23T10:00:00.000Z",
    endsAt: "2030-03-23T11:00:00.000Z",
    timezone: "Europe/London",
    place: { name: "Bristol Central Library", ...POINTS.centralLibrary },
    ages: { minMonths: 0, maxMonths: 36 },
    cost: "free",
    languages: ["en"],
    ...overrides,
  };
}

/** What the contract needs: a fresh, empty store, and a way to let go of it. */
export interface OpportunityHarness {
  store: OpportunityStore;
  close?(): Promise<void>;
}

const at = (iso: string) => new Date(iso);
const ids = (rows: Array<{ opportunity: { id: string } }>) => rows.map((r) => r.opportunity.id);

/** The opportunity store contract: every OpportunityStore implementation runs this suite. */
export function opportunityStoreContract(name: string, make: () => Promise<OpportunityHarness>) {
  describe(`${name} opportunity store contract`, () => {
    let h: OpportunityHarness;
    const harnesses: OpportunityHarness[] = [];
    beforeEach(async () => {
      h = await make();
      harnesses.push(h);
    });
    afterAll(async () => {
      for (const x of harnesses) await x.close?.();
    });

    it("creates with a short url-safe id and bookkeeping, and gives copies back", async () => {
      const o = await h.store.create(sample(), "alice");
      expect(o.id).toMatch(/^[A-Za-z0-9_-]{8,22}$/);
      expect(o).toMatchObject({ ...sample(), createdBy: "alice" });
      expect(Date.parse(o.createdAt)).not.toBeNaN();
      expect(o.updatedAt).toBe(o.createdAt);
      const again = await h.store.create(sample(), "alice");
      expect(again.id).not.toBe(o.id);
      const got = await h.store.get(o.id);
      expect(got).toEqual(o);
      if (got) got.title.en = "changed";
      expect((await h.store.get(o.id))?.title).toEqual({ en: "Rhyme time" });
      expect(await h.store.get("no-such-id")).toBeNull();
    });

    it("refuses an invalid opportunity", async () => {
      await expect(
        h.store.create(sample({ endsAt: "2030-03-23T09:00:00.000Z" }), "alice"),
      ).rejects.toThrow(/after startsAt/);
    });

    it("finds by radius: in and out, soonest first, with distances", async () => {
      // Eastville is 3 km from Castle Park and its session is sooner; the library is 0.9 km away.
      const library = await h.store.create(sample(), "alice");
      const eastville = await h.store.create(
        sample({
          title: { en: "Pond dipping" },
          startsAt: "2030-03-22T14:00:00.000Z",
          endsAt: "2030-03-22T15:30:00.000Z",
          place: { name: "Eastville Park", ...POINTS.eastvillePark },
          ages: { minMonths: 48, maxMonths: 96 },
        }),
        "alice",
      );
      const portishead = await h.store.create(
        sample({ place: { name: "Portishead Library", ...POINTS.portishead } }),
        "alice",
      );
      const now = at("2030-03-20T12:00:00Z");
      const within5 = await h.store.near({ ...POINTS.castlePark, radiusKm: 5, now });
      expect(ids(within5)).toEqual([eastville.id, library.id]);
      for (const row of within5) {
        const exact = distanceKm(POINTS.castlePark, row.opportunity.place);
        expect(Math.abs(row.km - exact) / exact).toBeLessThan(0.01);
      }
      expect(within5[1]?.km).toBeGreaterThan(0.8);
      expect(within5[1]?.km).toBeLessThan(1);
      expect(within5[0]?.km).toBeGreaterThan(2.9);
      expect(within5[0]?.km).toBeLessThan(3.2);
      expect(within5[0]?.next.startsAt).toEqual(at("2030-03-22T14:00:00Z"));

      const within15 = await h.store.near({ ...POINTS.castlePark, radiusKm: 15, now });
      expect(ids(within15)).toEqual([eastville.id, library.id, portishead.id]);
      expect(within15[2]?.km).toBeGreaterThan(11.5);
      expect(within15[2]?.km).toBeLessThan(13);
      expect(await h.store.near({ ...POINTS.castlePark, radiusKm: 5, now, limit: 1 })).toHaveLength(
        1,
      );
    });

    it("filters by age: any of the children fits", async () => {
      const babies = await h.store.create(sample(), "alice");
      const older = await h.store.create(
        sample({
          startsAt: "2030-03-23T13:00:00.000Z",
          endsAt: "2030-03-23T14:00:00.000Z",
          ages: { minMonths: 48, maxMonths: 96 },
        }),
        "alice",
      );
      const q = { ...POINTS.castlePark, radiusKm: 5, now: at("2030-03-20T12:00:00Z") };
      expect(ids(await h.store.near({ ...q, ageMonths: [24] }))).toEqual([babies.id]);
      expect(ids(await h.store.near({ ...q, ageMonths: [60, 200] }))).toEqual([older.id]);
      expect(ids(await h.store.near({ ...q, ageMonths: [36, 48] }))).toEqual([babies.id, older.id]);
      expect(ids(await h.store.near({ ...q, ageMonths: [120] }))).toEqual([]);
      expect(ids(await h.store.near({ ...q, ageMonths: [] }))).toEqual([babies.id, older.id]);
    });

    it("lists upcoming soonest first; what is over vanishes without any clean-up call", async () => {
      const later = await h.store.create(
        sample({ startsAt: "2030-03-30T10:00:00.000Z", endsAt: "2030-03-30T11:00:00.000Z" }),
        "alice",
      );
      const sooner = await h.store.create(sample(), "alice");
      const before = await h.store.upcoming(at("2030-03-23T10:30:00Z"));
      expect(ids(before)).toEqual([sooner.id, later.id]);
      expect(before[0]?.next).toEqual({
        startsAt: at("2030-03-23T10:00:00Z"),
        endsAt: at("2030-03-23T11:00:00Z"),
      });
      expect(await h.store.upcoming(at("2030-03-23T10:30:00Z"), 1)).toHaveLength(1);
      const after = at("2030-03-23T11:00:01Z");
      expect(ids(await h.store.upcoming(after))).toEqual([later.id]);
      expect(ids(await h.store.near({ ...POINTS.castlePark, radiusKm: 5, now: after }))).toEqual([
        later.id,
      ]);
      expect(await h.store.upcoming(at("2030-04-01T00:00:00Z"))).toEqual([]);
    });

    it("repeats weekly at the same local time across the March DST change", async () => {
      const weekly = await h.store.create(
        sample({ repeat: { weekly: true, until: "2030-06-01" } }),
        "alice",
      );
      // Saturday 30 March is still GMT (10:00 = 10:00Z); from Sunday 31 March London is on BST.
      const [first] = await h.store.upcoming(at("2030-03-24T12:00:00Z"));
      expect(first?.next.startsAt).toEqual(at("2030-03-30T10:00:00Z"));
      const [second] = await h.store.upcoming(at("2030-03-31T12:00:00Z"));
      expect(second?.next).toEqual({
        startsAt: at("2030-04-06T09:00:00Z"),
        endsAt: at("2030-04-06T10:00:00Z"),
      });
      const [near] = await h.store.near({
        ...POINTS.castlePark,
        radiusKm: 5,
        now: at("2030-03-31T12:00:00Z"),
      });
      expect(near?.opportunity.id).toBe(weekly.id);
      expect(near?.next.startsAt).toEqual(at("2030-04-06T09:00:00Z"));
      const [last] = await h.store.upcoming(at("2030-06-01T09:30:00Z"));
      expect(last?.next.startsAt).toEqual(at("2030-06-01T09:00:00Z"));
      expect(await h.store.upcoming(at("2030-06-01T10:00:01Z"))).toEqual([]);
    });

    it("update merges, checks the whole again, and re-indexes a moved place", async () => {
      const o = await h.store.create(
        sample({
          place: { name: "Portishead Library", ...POINTS.portishead },
          link: "https://example.org/rhymes",
        }),
        "alice",
      );
      const now = at("2030-03-20T12:00:00Z");
      expect(await h.store.near({ ...POINTS.castlePark, radiusKm: 5, now })).toEqual([]);
      const moved = await h.store.update(
        o.id,
        { place: { name: "Eastville Park", ...POINTS.eastvillePark }, link: undefined },
        "bob",
      );
      expect(moved).toMatchObject({
        id: o.id,
        createdBy: "alice",
        place: { name: "Eastville Park" },
      });
      expect(moved && "link" in moved).toBe(false);
      const found = await h.store.near({ ...POINTS.castlePark, radiusKm: 5, now });
      expect(ids(found)).toEqual([o.id]);
      expect(found[0]?.km).toBeGreaterThan(2.9);
      expect(await h.store.near({ ...POINTS.portishead, radiusKm: 1, now })).toEqual([]);
      expect(await h.store.get(o.id)).toEqual(moved);

      await expect(
        h.store.update(o.id, { endsAt: "2030-03-23T09:00:00.000Z" }, "bob"),
      ).rejects.toThrow(/after startsAt/);
      expect(await h.store.get(o.id)).toEqual(moved);
      expect(await h.store.update("no-such-id", { cost: "£2" }, "bob")).toBeNull();
    });

    it("update moves the expiry: a later end keeps it upcoming", async () => {
      const o = await h.store.create(sample(), "alice");
      const later = at("2030-03-25T12:00:00Z");
      expect(await h.store.upcoming(later)).toEqual([]);
      await h.store.update(
        o.id,
        { startsAt: "2030-03-26T10:00:00.000Z", endsAt: "2030-03-26T11:00:00.000Z" },
        "bob",
      );
      expect(ids(await h.store.upcoming(later))).toEqual([o.id]);
      expect(ids(await h.store.near({ ...POINTS.castlePark, radiusKm: 5, now: later }))).toEqual([
        o.id,
      ]);
    });

    it("remove forgets it everywhere, once", async () => {
      const o = await h.store.create(sample(), "alice");
      const now = at("2030-03-20T12:00:00Z");
      expect(await h.store.remove(o.id, "carol")).toBe(true);
      expect(await h.store.get(o.id)).toBeNull();
      expect(await h.store.upcoming(now)).toEqual([]);
      expect(await h.store.near({ ...POINTS.castlePark, radiusKm: 5, now })).toEqual([]);
      expect(await h.store.remove(o.id, "carol")).toBe(false);
    });

    it("audits who did what, newest first", async () => {
      const o = await h.store.create(sample(), "alice");
      await h.store.update(o.id, { cost: "£2" }, "bob");
      await h.store.record({ action: "broadcast", id: o.id, by: "dana", at: 1_900_000_000_000 });
      await h.store.remove(o.id, "carol");
      await h.store.remove(o.id, "carol");
      const log = await h.store.audit();
      expect(log.map(({ action, id, by }) => ({ action, id, by }))).toEqual([
        { action: "remove", id: o.id, by: "carol" },
        { action: "broadcast", id: o.id, by: "dana" },
        { action: "update", id: o.id, by: "bob" },
        { action: "create", id: o.id, by: "alice" },
      ]);
      expect(log[1]?.at).toBe(1_900_000_000_000);
      for (const e of log) expect(typeof e.at).toBe("number");
      expect(await h.store.audit(2)).toEqual(log.slice(0, 2));
    });

    it("finds families near a point, and forgets a cleared area", async () => {
      await h.store.setArea("telegram:1", POINTS.centralLibrary);
      await h.store.setArea("telegram:2", POINTS.portishead);
      await h.store.setArea("whatsapp:+447700900000", POINTS.eastvillePark);
      expect((await h.store.familiesNear({ ...POINTS.castlePark, radiusKm: 5 })).sort()).toEqual([
        "telegram:1",
        "whatsapp:+447700900000",
      ]);
      expect(await h.store.familiesNear({ ...POINTS.castlePark, radiusKm: 2 })).toEqual([
        "telegram:1",
      ]);
      await h.store.setArea("telegram:1", null);
      await h.store.setArea("telegram:9", null);
      expect(await h.store.familiesNear({ ...POINTS.castlePark, radiusKm: 2 })).toEqual([]);
      await h.store.setArea("telegram:2", POINTS.castlePark);
      expect(await h.store.familiesNear({ ...POINTS.castlePark, radiusKm: 2 })).toEqual([
        "telegram:2",
      ]);
      expect(await h.store.familiesNear({ ...POINTS.portishead, radiusKm: 2 })).toEqual([]);
    });
  });
}
