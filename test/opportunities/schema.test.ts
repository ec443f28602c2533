import { describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import {
  applyPatch,
  describeIssues,
  opportunityInput,
  opportunityPatch,
} from "../../src/opportunities/schema.ts";
import { sample } from "./contract.ts";

/** A body as a community worker would post it. */
const body = (overrides: Record<string, unknown> = {}) => ({
  title: "Rhyme time",
  description: "Songs and rhymes for babies and toddlers.",
  startsAt: "2030-03-23T10:00:00Z",
  endsAt: "2030-03-23T11:00:00Z",
  timezone: "Europe/London",
  place: { name: "Bristol Central Library", lat: 51.4526, lng: -2.5997 },
  ages: { minMonths: 0, maxMonths: 36 },
  cost: "free",
  languages: ["en", "so"],
  ...overrides,
});

const problems = (value: unknown) => {
  const r = opportunityInput.safeParse(value);
  if (r.success) throw new Error("expected it to be refused");
  return describeIssues(r.error);
};

describe("opportunityInput", () => {
  it("keys plain text by the body's language (default en) and normalises instants to UTC", () => {
    const o = opportunityInput.parse(body({ startsAt: "2030-03-23T11:00:00+01:00" }));
    expect(o.title).toEqual({ en: "Rhyme time" });
    expect(o.startsAt).toBe("2030-03-23T10:00:00.000Z");
    expect("language" in o).toBe(false);
    const es = opportunityInput.parse(body({ title: "Hora de rimas", language: "es" }));
    expect(es.title).toEqual({ es: "Hora de rimas" });
    expect(es.description).toEqual({ es: "Songs and rhymes for babies and toddlers." });
    const both = opportunityInput.parse(
      body({ title: { en: "Rhyme time", so: "Waqtiga heesaha" } }),
    );
    expect(both.title).toEqual({ en: "Rhyme time", so: "Waqtiga heesaha" });
  });

  it("names each bad field and why", () => {
    expect(problems(body({ place: { name: "X", lat: 91, lng: -2.6 } }))).toBe(
      "place.lat: must be between -90 and 90",
    );
    const many = problems({ ...body({ title: undefined }), colour: "red", cost: "" });
    expect(many).toContain("title: required");
    expect(many).toContain("colour: unknown field");
    expect(many).toContain("cost: must not be empty");
    expect(problems(body({ title: "x".repeat(81) }))).toBe("title: must be at most 80 characters");
    expect(problems(body({ description: { en: "x".repeat(601) } }))).toBe(
      "description.en: must be at most 600 characters",
    );
    expect(problems(body({ title: {} }))).toBe("title: must have at least one language");
    expect(problems(body({ title: 5 }))).toMatch(/^title: must be a string or an object/);
    expect(problems(body({ timezone: "Mars/Olympus" }))).toMatch(/^timezone: must be an IANA/);
    expect(problems(body({ startsAt: "2030-03-23T10:00:00" }))).toMatch(
      /^startsAt: must be an ISO 8601 date-time with an offset/,
    );
    expect(problems(body({ endsAt: "2030-03-23T10:00:00Z" }))).toBe(
      "endsAt: must be after startsAt",
    );
    expect(problems(body({ ages: { minMonths: 40, maxMonths: 36 } }))).toBe(
      "ages.minMonths: must not be above maxMonths",
    );
    expect(problems(body({ ages: { minMonths: 0, maxMonths: 217 } }))).toBe(
      "ages.maxMonths: must be between 0 and 216",
    );
    expect(problems(body({ link: "http://example.org" }))).toBe("link: must be an https URL");
    expect(problems(body({ languages: ["English"] }))).toMatch(/^languages\.0: must be a language/);
    expect(problems(body({ organiser: "x".repeat(201) }))).toBe(
      "organiser: must be at most 200 characters",
    );
    expect(problems(body({ place: { name: "X", lat: 51, lng: -2, floor: 2 } }))).toBe(
      "place.floor: unknown field",
    );
  });

  it("a weekly repeat needs an until at most a year on, and lasts under a week", () => {
    expect(
      opportunityInput.parse(body({ repeat: { weekly: true, until: "2031-03-22" } })).repeat,
    ).toEqual({ weekly: true, until: "2031-03-22" });
    expect(problems(body({ repeat: { weekly: true } }))).toBe("repeat.until: required");
    expect(problems(body({ repeat: { weekly: true, until: "2031-03-25" } }))).toBe(
      "repeat.until: must be at most a year after startsAt",
    );
    expect(problems(body({ repeat: { weekly: true, until: "2030-03-01" } }))).toBe(
      "repeat.until: must not be before startsAt",
    );
    expect(problems(body({ repeat: { weekly: false, until: "2030-04-01" } }))).toBe(
      "repeat.weekly: must be true",
    );
    expect(
      problems(
        body({ endsAt: "2030-03-30T10:00:00Z", repeat: { weekly: true, until: "2030-05-01" } }),
      ),
    ).toMatch(/^endsAt: a weekly opportunity must end less than 7 days/);
  });
});

describe("opportunityPatch and applyPatch", () => {
  it("a patch follows the same rules, field by field", () => {
    expect(opportunityPatch.parse({ title: "Nueva", language: "es" })).toEqual({
      title: { es: "Nueva" },
    });
    const r = opportunityPatch.safeParse({ place: { name: "X", lat: 0, lng: 200 }, id: "x" });
    expect(r.success).toBe(false);
    expect(describeIssues(r.error as ZodError)).toBe(
      "place.lng: must be between -180 and 180; id: unknown field",
    );
    expect(opportunityPatch.safeParse({ title: null }).success).toBe(false);
  });

  it("merges, clears with null, and checks the whole again", () => {
    const current = sample({ link: "https://example.org/a", organiser: "Library team" });
    const patch = opportunityPatch.parse({ link: null, cost: "£2" });
    const merged = applyPatch(current, patch);
    expect(merged.cost).toBe("£2");
    expect("link" in merged).toBe(false);
    expect(merged.organiser).toBe("Library team");
    expect(() =>
      applyPatch(current, opportunityPatch.parse({ endsAt: "2030-03-23T09:00:00Z" })),
    ).toThrow(/after startsAt/);
    expect(() => applyPatch(current, { title: undefined })).toThrow();
  });
});
