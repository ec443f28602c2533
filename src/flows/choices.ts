import type { Choice, Profile } from "../core/types.ts";
import { fold } from "../text/normalize.ts";
import { INTEREST_GROUP_IDS } from "../text/vocabulary.ts";
import type { FlowChoice } from "./schema.ts";
import type { Speech } from "./speech.ts";

export type Facts = (name: string) => string;

/** The choices a step offers right now, in the family's language. */
export function buildChoices(
  spec:
    | readonly FlowChoice[]
    | "languages"
    | "second_languages"
    | "interests"
    | "timezones"
    | undefined,
  ctx: {
    speech: Speech;
    locale: string;
    facts: Facts;
    picked: readonly string[];
    /** Time zones offered, with their labels ("Madrid (UTC+1)"). */
    zones?: readonly string[];
  },
): Choice[] {
  const { speech, locale } = ctx;
  if (spec === undefined) return [];
  if (spec === "timezones")
    return (ctx.zones ?? []).slice(0, 10).map((label, i) => ({ id: `tz${i}`, label }));
  if (spec === "languages")
    return speech.locales.map((code) => ({ id: code, label: speech.t(code, "language.name") }));
  if (spec === "second_languages")
    return [
      ...speech.locales
        .filter((code) => code !== locale)
        .map((code) => ({ id: code, label: speech.t(code, "language.name") })),
      { id: "off", label: speech.t(locale, "choice.off") },
    ];
  if (spec === "interests")
    return [
      ...INTEREST_GROUP_IDS.filter((g) => !ctx.picked.includes(g)).map((g) => ({
        id: g,
        label: speech.t(locale, `interest.${g}`),
      })),
      { id: "done", label: speech.t(locale, "choice.thats_all") },
    ];
  return spec
    .filter((c) => {
      if (!c.if) return true;
      const value = ctx.facts(c.if.fact);
      return c.if.is !== undefined ? value === c.if.is : value !== c.if.not;
    })
    .map((c) => ({ id: c.id, label: speech.t(locale, c.label) }));
}

/**
 * Which offered choice a typed answer picks: its number, its label, its id,
 * or a word for it in `answers.<id>` (in the family's language or English).
 */
export function matchChoice(
  folded: string,
  choices: readonly Choice[],
  speech: Speech,
  locale: string,
): string | undefined {
  if (choices.length === 0 || folded === "") return undefined;
  const n = /^(\d{1,2})\.?$/.exec(folded);
  if (n) return choices[Number(n[1]) - 1]?.id;
  for (const c of choices) {
    if (folded === c.id || folded === fold(c.label)) return c.id;
    const words = [
      ...speech.list(locale, `answers.${c.id}`),
      ...speech.list("en", `answers.${c.id}`),
    ];
    if (words.some((w) => fold(w) === folded)) return c.id;
  }
  return undefined;
}

/** Whether a profile has gone through the introduction. */
export function isSetUp(profile: Profile): boolean {
  return profile.locale !== undefined && profile.consent !== undefined;
}
