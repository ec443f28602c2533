/** The posting modal's answers, read without Slack: dates in languages and zones, ages, places. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  confirmView,
  METADATA_MAX,
  postView,
  readAges,
  readConfirmed,
  readPostForm,
  readWhen,
} from "../../../src/channels/slack/post-form.ts";
import { loadPlaces } from "../../../src/opportunities/places.ts";

const NOW = new Date("2026-11-28T12:00:00Z"); // a Saturday, noon in London
const places = loadPlaces(
  readFileSync(join(import.meta.dirname, "../../../content/places.yaml"), "utf8"),
);
const FORM = {
  title: "Rhyme time",
  description: "Songs and rhymes for babies and toddlers.",
  language: "en",
  starts: "next Saturday 10am",
  ends: "11:30",
  timezone: "Europe/London",
  place: "Central Library",
  ages: "0-4",
  cost: "free",
};
const read = (v: Record<string, string>) => readPostForm(v, { places, now: NOW });
const at = (w: ReturnType<typeof readWhen>) => ("at" in w ? w.at.toISOString() : w.problem);

describe("reading the posting modal", () => {
  it("reads dates in the text's language, as wall-clock time in the zone given", () => {
    expect(at(readWhen("next Saturday 10am", "en", "Europe/London", NOW))).toBe(
      "2026-12-05T10:00:00.000Z",
    );
    expect(at(readWhen("next Saturday 10am", "en", "America/New_York", NOW))).toBe(
      "2026-12-05T15:00:00.000Z",
    );
    expect(at(readWhen("sábado 10:00", "es", "Europe/Madrid", NOW))).toBe(
      "2026-12-05T09:00:00.000Z",
    );
    expect(at(readWhen("samedi 10h", "fr", "Europe/Paris", NOW))).toBe("2026-12-05T09:00:00.000Z");
    expect(at(readWhen("субота 10:00", "uk", "Europe/Kyiv", NOW))).toBe("2026-12-05T08:00:00.000Z");
    // Summer time: the offset of that day, not of today.
    expect(at(readWhen("3 June 2027 14:00", "en", "Europe/London", NOW))).toBe(
      "2027-06-03T13:00:00.000Z",
    );
    // Swahili has no chrono parser: English is tried.
    expect(at(readWhen("Saturday 10am", "sw", "Africa/Nairobi", NOW))).toBe(
      "2026-12-05T07:00:00.000Z",
    );
    expect(at(readWhen("next Saturday", "en", "UTC", NOW))).toBe("no_time");
    expect(at(readWhen("whenever", "en", "UTC", NOW))).toBe("unreadable");
  });

  it("reads ages in months or years", () => {
    expect(readAges("0-4")).toEqual({ minMonths: 0, maxMonths: 59 });
    expect(readAges("18 months - 5")).toEqual({ minMonths: 18, maxMonths: 71 });
    expect(readAges("3 to 7 years")).toEqual({ minMonths: 36, maxMonths: 95 });
    expect(readAges("6-18 months")).toEqual({ minMonths: 6, maxMonths: 18 });
    expect(readAges("5-2")).toBeUndefined();
    expect(readAges("tiny")).toBeUndefined();
  });

  it("builds the API body: an end time on the start's day, a length, a place by name or point", () => {
    const r = read(FORM);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.body).toMatchObject({
      title: { en: "Rhyme time" },
      startsAt: "2026-12-05T10:00:00.000Z",
      endsAt: "2026-12-05T11:30:00.000Z",
      timezone: "Europe/London",
      place: { name: "Bristol Central Library" },
      ages: { minMonths: 0, maxMonths: 59 },
      cost: "free",
      languages: ["en"],
    });
    const spanish = read({
      ...FORM,
      language: "es",
      starts: "sábado 10:00",
      ends: "90 min",
      timezone: "Europe/Madrid",
      place: "40.4168, -3.7038",
      address: "Plaza Mayor 1",
      cost: "gratis",
      languages: "es, en",
    });
    if (!spanish.ok) throw new Error(JSON.stringify(spanish.errors));
    expect(spanish.body).toMatchObject({
      title: { es: "Rhyme time" },
      startsAt: "2026-12-05T09:00:00.000Z",
      endsAt: "2026-12-05T10:30:00.000Z",
      place: { name: "Plaza Mayor 1", lat: 40.4168, lng: -3.7038, address: "Plaza Mayor 1" },
      cost: "free",
      languages: ["es", "en"],
    });
  });

  it("names each problem under its field", () => {
    const errors = (v: Record<string, string>) => {
      const r = read(v);
      return r.ok ? {} : r.errors;
    };
    expect(errors({ ...FORM, starts: "whenever" })).toEqual({
      starts: expect.stringContaining("I couldn't read that date"),
    });
    expect(errors({ ...FORM, starts: "next Saturday" }).starts).toMatch(/time too/);
    expect(errors({ ...FORM, starts: "1 Jan 2020 10:00" }).starts).toMatch(/in the past/);
    expect(errors({ ...FORM, ends: "9:00" }).ends).toMatch(/before it starts/);
    expect(errors({ ...FORM, ends: "later" }).ends).toMatch(/couldn't read/);
    expect(errors({ ...FORM, timezone: "Mars/Base" }).timezone).toMatch(/time zone/);
    expect(errors({ ...FORM, place: "The Moon" }).place).toMatch(/list of places/);
    expect(errors({ ...FORM, ages: "tiny" }).ages).toMatch(/0-4/);
    expect(Object.keys(errors({ ...FORM, link: "not a link" }))).toEqual(["link"]);
    expect(Object.keys(errors({ ...FORM, title: "x".repeat(200) }))).toEqual(["title"]);
  });

  it("the modal has every field; the confirmation carries the body (≤ 3000 characters)", () => {
    const view = postView("Europe/London") as {
      blocks: Array<{ block_id: string; optional: boolean; element: Record<string, unknown> }>;
    };
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      "title",
      "description",
      "language",
      "starts",
      "ends",
      "timezone",
      "place",
      "address",
      "ages",
      "cost",
      "languages",
      "link",
      "accessibility",
      "organiser",
    ]);
    const language = view.blocks[2]?.element as { options: unknown[]; initial_option: unknown };
    expect(language.options).toHaveLength(10);
    expect(language.initial_option).toMatchObject({ value: "en" });
    expect(view.blocks.filter((b) => b.optional).map((b) => b.block_id)).toEqual([
      "address",
      "languages",
      "link",
      "accessibility",
      "organiser",
    ]);

    const r = read({ ...FORM, description: "é".repeat(590) });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const confirm = confirmView(r.body) as { private_metadata: string; submit: { text: string } };
    expect(confirm.submit.text).toBe("Confirm");
    expect(confirm.private_metadata.length).toBeLessThanOrEqual(METADATA_MAX);
    const back = readConfirmed(confirm.private_metadata);
    expect(back.ok && back.input.title).toEqual({ en: "Rhyme time" });
    expect(readConfirmed("{not json").ok).toBe(false);
    expect(readConfirmed(JSON.stringify({ title: "x" })).ok).toBe(false);
  });
});
