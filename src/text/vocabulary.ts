import { z } from "zod";
import { fold, wordsPattern } from "./normalize.ts";

/** Interest groups a parent picks from; each stands for one or two learning modes. */
export const INTEREST_GROUPS = {
  nature: ["nature"],
  arts: ["arts", "making"],
  moving: ["moving", "play"],
  words: ["words"],
  numbers: ["numbers"],
  exploring: ["exploring"],
  calm: ["mindfulness"],
  people: ["community", "intergenerational"],
} as const;
export type InterestGroup = keyof typeof INTEREST_GROUPS;
export const INTEREST_GROUP_IDS = Object.keys(INTEREST_GROUPS) as InterestGroup[];

const words = z.array(z.string().min(1)).min(1);

/** The shape of `locales/<lng>/understand.json`: the words Sprout understands in a language. */
export const vocabularySchema = z.strictObject({
  /** Number words -> value; halves allowed ("ढाई" 2.5, "डेढ़" 1.5). */
  numbers: z.record(z.string(), z.number().min(0).max(100).multipleOf(0.5)),
  and_a_half: words,
  months: words,
  years: words,
  weeks: words,
  minutes: words,
  hours: words,
  half_hour: words,
  quarter_hour: words,
  home: words,
  outdoors: words,
  out: words,
  calm: words,
  active: words,
  /** Rain: no dry-weather ideas. */
  rainy: words,
  /** Cold: nothing only for warm seasons; indoors ranks higher. */
  cold: words,
  /** Dark already: nothing that needs daylight. */
  dark: words,
  /** Joins two ages: "3 and 7". */
  and: words,
  /** One idea for all the children at once. */
  together: words,
  /** "send this to grandma in Ukrainian": a ready-to-forward message. */
  forward: words,
  interests: z.strictObject(
    Object.fromEntries(INTEREST_GROUP_IDS.map((g) => [g, words])) as Record<
      InterestGroup,
      typeof words
    >,
  ),
  languages: z.record(z.string(), words),
  /** Everyday words that tell the language of a message ("the", "para", "hola"). */
  common_words: words,
  /** The unit comes before the number ("miaka 4", "dakika 10"), as in Swahili. */
  unit_first: z.boolean().optional(),
});
export type Vocabulary = z.infer<typeof vocabularySchema>;

/** Compiled matchers for one or more languages' vocabularies. */
export interface Lexicon {
  /** Unit words of the languages that put the unit before the number, when any. */
  unitFirst?: { years: string; months: string; weeks: string; minutes: string; hours: string };
  numberWords: RegExp;
  numberValue: Map<string, number>;
  half: RegExp;
  months: string;
  years: string;
  weeks: string;
  minutes: string;
  hours: string;
  halfHour: RegExp;
  quarterHour: RegExp;
  home: RegExp;
  outdoors: RegExp;
  out: RegExp;
  calm: RegExp;
  active: RegExp;
  rainy: RegExp;
  cold: RegExp;
  dark: RegExp;
  and: string;
  together: RegExp;
  forward: RegExp;
  interests: Array<[InterestGroup, RegExp]>;
  languages: Array<[string, RegExp]>;
}

/** Merges vocabularies (e.g. the family's language and English) into one lexicon. */
export function compileLexicon(vocabularies: readonly Vocabulary[]): Lexicon {
  const all = <K extends keyof Vocabulary>(key: K) =>
    vocabularies.flatMap((v) => v[key] as unknown as string[]);
  const re = (phrases: string[]) => new RegExp(wordsPattern(phrases), "gu");
  const numberValue = new Map<string, number>();
  for (const v of vocabularies)
    for (const [w, n] of Object.entries(v.numbers)) numberValue.set(fold(w), n);
  const languageCodes = [...new Set(vocabularies.flatMap((v) => Object.keys(v.languages)))];
  const first = vocabularies.filter((v) => v.unit_first);
  const firstWords = (key: "years" | "months" | "weeks" | "minutes" | "hours") =>
    wordsPattern(first.flatMap((v) => v[key]));
  return {
    unitFirst:
      first.length > 0
        ? {
            years: firstWords("years"),
            months: firstWords("months"),
            weeks: firstWords("weeks"),
            minutes: firstWords("minutes"),
            hours: firstWords("hours"),
          }
        : undefined,
    numberWords: re([...numberValue.keys()]),
    numberValue,
    half: re(all("and_a_half")),
    months: wordsPattern(all("months")),
    years: wordsPattern(all("years")),
    weeks: wordsPattern(all("weeks")),
    minutes: wordsPattern(all("minutes")),
    hours: wordsPattern(all("hours")),
    halfHour: re(all("half_hour")),
    quarterHour: re(all("quarter_hour")),
    home: re(all("home")),
    outdoors: re(all("outdoors")),
    out: re(all("out")),
    calm: re(all("calm")),
    active: re(all("active")),
    rainy: re(all("rainy")),
    cold: re(all("cold")),
    dark: re(all("dark")),
    and: wordsPattern(all("and")),
    together: re(all("together")),
    forward: re(all("forward")),
    interests: INTEREST_GROUP_IDS.map((g) => [g, re(vocabularies.flatMap((v) => v.interests[g]))]),
    languages: languageCodes.map((code) => [
      code,
      re(vocabularies.flatMap((v) => v.languages[code] ?? [])),
    ]),
  };
}
