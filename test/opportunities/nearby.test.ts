import { describe, expect, it } from "vitest";
import { createPipeline } from "../../src/core/pipeline.ts";
import type { InboundEvent, Outbound } from "../../src/core/types.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { realContent } from "../helpers/content.ts";
import { choiceIds, texts } from "../helpers/conversation.ts";

const NOW = new Date("2026-11-28T12:00:00Z");
const LIBRARY = { name: "Bristol Central Library", lat: 51.4526, lng: -2.5997 };

async function setUp(locale = "English") {
  const store = createMemoryStore({ now: () => NOW.getTime() });
  const content = realContent();
  const pipeline = createPipeline({ store, content, now: () => NOW });
  const familyId = "telegram:4242";
  const send = async (event: InboundEvent): Promise<Outbound[]> =>
    (await pipeline.handle({ familyId, event })) ?? [];
  const say = (text: string) => send({ kind: "text", text });
  await store.opportunities.create(
    {
      title: { en: "Rhyme time" },
      description: { en: "Songs and rhymes for babies and toddlers." },
      startsAt: "2026-12-05T10:00:00Z",
      endsAt: "2026-12-05T11:00:00Z",
      timezone: "Europe/London",
      place: LIBRARY,
      ages: { minMonths: 0, maxMonths: 48 },
      cost: "free",
      languages: ["en"],
    },
    "test",
  );
  await store.opportunities.create(
    {
      title: { en: "Teen coding club", es: "Club de programación" },
      description: { en: "For 11 to 16." },
      startsAt: "2026-12-03T16:00:00Z",
      endsAt: "2026-12-03T18:00:00Z",
      timezone: "Europe/London",
      place: LIBRARY,
      ages: { minMonths: 132, maxMonths: 192 },
      cost: "£2",
      languages: ["en"],
    },
    "test",
  );
  await say("hi");
  await say(locale);
  return { store, familyId, send, say };
}

describe("nearby: opportunities near a family", () => {
  it("asks where, lists what fits the child's age with day, distance and cost, and offers news", async () => {
    const f = await setUp();
    await f.say("yes");
    await f.say("3");
    await f.say("done");
    let out = await f.say("nearby");
    expect(out.at(-1)?.kind).toBe("location-request");
    out = await f.say("central library");
    const list = texts(out);
    expect(list).toContain("1 thing coming up within 5 km");
    expect(list).toContain("📍 Rhyme time");
    expect(list).toContain("Sat, Dec 5, 10:00 AM · <1 km · free");
    expect(list).not.toContain("coding"); // for 11-16: not for a 3-year-old
    expect(texts(out)).toContain("Shall I tell you when something new");
    out = await f.say("yes");
    expect(choiceIds(out)).toEqual(["wider", "other_place", "idea"]);
    // Consent given: the area is kept (to about 1 km) and indexed for broadcasts.
    const profile = (await f.store.loadFamily(f.familyId))?.profile;
    expect(profile?.area).toEqual({ lat: 51.45, lng: -2.6 });
    expect(await f.store.opportunities.familiesNear({ ...LIBRARY, radiusKm: 2 })).toEqual([
      f.familyId,
    ]);
    // Next time no question: the area is remembered.
    out = await f.say("nearby");
    expect(texts(out)).toContain("📍 Rhyme time");
    // delete takes the family out of the index too.
    await f.say("delete");
    await f.send({ kind: "choice", id: "yes" });
    expect(await f.store.opportunities.familiesNear({ ...LIBRARY, radiusKm: 2 })).toEqual([]);
  });

  it("takes a location pin; without consent it is used once and not kept", async () => {
    const f = await setUp();
    await f.say("no");
    await f.say("nearby");
    const out = await f.send({ kind: "location", lat: 51.455, lng: -2.59 });
    expect(texts(out)).toContain("Rhyme time"); // no child known: every age fits
    expect(texts(out)).toContain("Teen coding club");
    expect((await f.store.loadFamily(f.familyId))?.profile.area).toBeUndefined();
  });

  it("writes the frame in the family's language and says what language the text is in", async () => {
    const f = await setUp("Español");
    await f.say("no");
    await f.say("nearby");
    const out = await f.say("central library");
    const list = texts(out);
    expect(list).toContain("📍 Club de programación");
    expect(list).toContain("📍 Rhyme time");
    expect(list).toMatch(/inglés/);
    expect(list).toMatch(/gratis/i);
  });

  it("nothing near: says so and offers an outdoor idea; wider looks further", async () => {
    const f = await setUp();
    await f.say("no");
    await f.say("nearby");
    const out = await f.send({ kind: "location", lat: 51.6, lng: -2.6 }); // ~16 km north
    expect(texts(out)).toContain("Nothing coming up within 5 km");
    expect(texts(out)).toContain("outdoors");
  });
});

describe("nearby with typed coordinates", () => {
  it("reads '51.455, -2.59' as a place", async () => {
    const f = await setUp();
    await f.say("no");
    await f.say("nearby");
    const out = await f.say("51.455, -2.59");
    expect(texts(out)).toContain("📍 Rhyme time");
  });
});
