import { describe, expect, it } from "vitest";
import { checkContent } from "../src/content-check.ts";
import { readContentFiles } from "../src/content-files.ts";
import { MODES, SETTINGS } from "../src/core/types.ts";
import { realContent } from "./helpers/content.ts";

describe("content", () => {
  it("the repository's flows, catalog and languages pass every check", () => {
    expect(checkContent(readContentFiles())).toEqual([]);
  });

  it("the catalog has 60+ activities over ages 0-12, every setting and every learning mode, in en and es", () => {
    const { catalog } = realContent();
    expect(catalog.activities.length).toBeGreaterThanOrEqual(60);
    for (const m of MODES)
      expect(
        catalog.activities.some((a) => a.modes.includes(m)),
        m,
      ).toBe(true);
    for (const s of SETTINGS)
      expect(catalog.activities.filter((a) => a.setting === s).length, s).toBeGreaterThanOrEqual(
        15,
      );
    for (const age of [0, 6, 12, 24, 36, 48, 60, 84, 108, 132, 144])
      expect(
        catalog.activities.filter((a) => a.ages[0] <= age && a.ages[1] >= age).length,
        `age ${age}`,
      ).toBeGreaterThanOrEqual(5);
    for (const a of catalog.activities) expect(catalog.text(a.id, "es")).not.toEqual(a.text);
  });

  it("a broken flow names the file, the step and what is wrong", () => {
    const sources = readContentFiles();
    const help = sources.flows.find((f) => f.file === "flows/help.yaml");
    const broken = {
      file: "flows/help.yaml",
      data: { ...(help?.data as object), steps: [{ id: "hello", type: "say", text: "Hello!" }] },
    };
    const problems = checkContent({
      ...sources,
      flows: [...sources.flows.filter((f) => f !== help), broken],
    });
    expect(problems.join("\n")).toMatch(/flows\/help\.yaml: step hello text: must be an i18n key/);
    const dangling = {
      file: "flows/help.yaml",
      data: { id: "help", steps: [{ id: "a", type: "say", text: "help.text", next: "zzz" }] },
    };
    expect(
      checkContent({
        ...sources,
        flows: [...sources.flows.filter((f) => f !== help), dangling],
      }).join("\n"),
    ).toMatch(/flows\/help\.yaml: step a: next goes to unknown step "zzz"/);
  });

  it("a key missing or with other placeholders in a language fails, naming it", () => {
    const sources = readContentFiles();
    const es = structuredClone(sources.locales.es) as {
      common: Record<string, Record<string, string>>;
      understand: unknown;
    };
    delete es.common.help?.text;
    (es.common.onboarding as Record<string, string>).more_children = "Anotado.";
    const problems = checkContent({ ...sources, locales: { ...sources.locales, es } }).join("\n");
    expect(problems).toMatch(/locales\/es\/common\.json: help\.text is missing/);
    expect(problems).toMatch(/onboarding\.more_children has placeholders/);
  });

  it("an activity without its Spanish text, or an over-long title, fails naming the activity", () => {
    const sources = readContentFiles();
    const data = structuredClone(sources.translations.es?.data) as Record<
      string,
      { title: string }
    >;
    const [first, second] = Object.keys(data);
    delete data[first as string];
    (data[second as string] as { title: string }).title = "x".repeat(41);
    const problems = checkContent({
      ...sources,
      translations: { es: { file: "locales/es/activities.json", data } },
    }).join("\n");
    expect(problems).toContain(second);
  });
});
