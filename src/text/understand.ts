import type { Energy, Setting } from "../core/types.ts";
import { fold } from "./normalize.ts";
import type { InterestGroup, Lexicon } from "./vocabulary.ts";

/** What Sprout understood from a free-text message. */
export interface Request {
  ageMonths?: number;
  /** Every age named ("my 3 and 7 year old"), when more than one. */
  ages?: number[];
  /** Rain: no dry-weather ideas. */
  wet?: boolean;
  cold?: boolean;
  /** Dark already: nothing that needs daylight. */
  dark?: boolean;
  /** One idea for all the children together. */
  together?: boolean;
  minutes?: number;
  setting?: Setting;
  energy?: Energy;
  interests?: InterestGroup[];
}

/** The oldest age Sprout suggests for, in months (12 years and 11 months). */
export const MAX_AGE_MONTHS = 155;

/** Folds the text and writes number words as digits ("two and a half" -> "2.5", "10min" -> "10 min"). */
function prepare(text: string, lex: Lexicon): string {
  const folded = fold(text.slice(0, 500));
  const digits = folded.replace(lex.numberWords, (w) => ` ${lex.numberValue.get(w) ?? w} `);
  // A unit typed onto its number ("10хв", "4yo") is read as if spaced.
  return digits
    .replace(/(\d)(?=\p{L})/gu, "$1 ")
    .replace(/\s+/g, " ")
    .trim();
}

const NUM = "(\\d+(?:\\.\\d+)?)";

interface Patterns {
  age: RegExp;
  ageAll: RegExp;
  pair: RegExp;
  lone: RegExp;
  minutes: RegExp;
  hours: RegExp;
  /** Unit before number ("miaka 4"): groups 1-3 years/months/weeks, 4 the number, 5 a half. */
  ageFirst?: RegExp;
  minutesFirst?: RegExp;
  hoursFirst?: RegExp;
}
const compiled = new WeakMap<Lexicon, Patterns>();

/** The number-and-unit patterns of a lexicon, built once. */
function patterns(lex: Lexicon): Patterns {
  let p = compiled.get(lex);
  if (!p) {
    const half = lex.half.source;
    const unit = `(?:${lex.years})|(?:${lex.months})`;
    p = {
      ageAll: new RegExp(
        `${NUM}\\s*(${half})?\\s*-?\\s*(?:(${lex.years})|(${lex.months})|(${lex.weeks}))(?:\\s*(${half}))?`,
        "gu",
      ),
      pair: new RegExp(`(\\d+)\\s*(?:,|${lex.and})\\s*(\\d+)\\s*-?\\s*(${unit})`, "u"),
      age: new RegExp(
        `${NUM}\\s*(${half})?\\s*-?\\s*(?:(${lex.years})|(${lex.months})|(${lex.weeks}))(?:\\s*(${half}))?`,
        "u",
      ),
      lone: new RegExp(`(?<![\\d.])${NUM}\\s*(${half})?(?![\\d.])`, "u"),
      minutes: new RegExp(`${NUM}\\s*(?:${lex.minutes})`, "u"),
      hours: new RegExp(`${NUM}\\s*(?:${lex.hours})`, "u"),
    };
    const f = lex.unitFirst;
    if (f) {
      p.ageFirst = new RegExp(
        `(?:(${f.years})|(${f.months})|(${f.weeks}))\\s*${NUM}(?:\\s*(${half}))?`,
        "gu",
      );
      p.minutesFirst = new RegExp(`(?:${f.minutes})\\s*${NUM}`, "u");
      p.hoursFirst = new RegExp(`(?:${f.hours})\\s*${NUM}`, "u");
    }
    compiled.set(lex, p);
  }
  return p;
}

/**
 * Finds an age given with its unit: "4 years old", "18 months", "2½", "tiene 3 años y medio".
 * With `bare`, a lone number counts too: up to 12 as years, 13-36 as months.
 * Returns months, or undefined when no age is there.
 */
export function parseAge(
  text: string,
  lex: Lexicon,
  opts: { bare?: boolean } = {},
): number | undefined {
  const s = prepare(text, lex);
  const first = unitFirstAges(s, lex)[0];
  if (first !== undefined) return first;
  const m = patterns(lex).age.exec(s);
  if (m) {
    const n = Number(m[1]) + (m[2] || m[6] ? 0.5 : 0);
    if (m[3]) return Math.round(n * 12);
    if (m[4]) return Math.round(n);
    return Math.floor(n / 4.35);
  }
  if (!opts.bare) return undefined;
  const lone = patterns(lex).lone.exec(s);
  if (!lone) return undefined;
  const n = Number(lone[1]) + (lone[2] ? 0.5 : 0);
  if (n <= 12) return Math.round(n * 12);
  if (n <= 36 && Number.isInteger(n)) return n;
  return undefined;
}

/** Ages written unit first ("miezi 6"), in the languages that write them so. */
function unitFirstAges(s: string, lex: Lexicon): number[] {
  const re = patterns(lex).ageFirst;
  return re ? [...s.matchAll(re)].map((m) => monthsOfUnitFirst(m as RegExpExecArray)) : [];
}

/** Months from a unit-first match ("miezi 6", "miaka 2 na nusu"). */
function monthsOfUnitFirst(m: RegExpExecArray): number {
  const n = Number(m[4]) + (m[5] ? 0.5 : 0);
  if (m[1]) return Math.round(n * 12);
  if (m[2]) return Math.round(n);
  return Math.floor(n / 4.35);
}

function monthsOf(m: RegExpExecArray): number {
  const n = Number(m[1]) + (m[2] || m[6] ? 0.5 : 0);
  if (m[3]) return Math.round(n * 12);
  if (m[4]) return Math.round(n);
  return Math.floor(n / 4.35);
}

/**
 * Every age with its unit in the text: "my 3 and 7 year old" -> [36, 84],
 * "a 2 year old and an 8 month old" -> [24, 8].
 */
export function parseAges(text: string, lex: Lexicon): number[] {
  const s = prepare(text, lex);
  const pats = patterns(lex);
  const ages: number[] = [];
  const pair = pats.pair.exec(s);
  if (pair) {
    const years = new RegExp(`^(?:${lex.years})$`, "u").test(pair[3] ?? "");
    for (const n of [pair[1], pair[2]]) ages.push(years ? Number(n) * 12 : Number(n));
  }
  for (const months of unitFirstAges(s, lex)) if (!ages.includes(months)) ages.push(months);
  for (const m of s.matchAll(pats.ageAll)) {
    const months = monthsOf(m as RegExpExecArray);
    if (!ages.includes(months)) ages.push(months);
  }
  return ages;
}

/** Finds a time span: "10 minutes", "half an hour", "15 min", "1 hora". */
export function parseMinutes(text: string, lex: Lexicon): number | undefined {
  const s = prepare(text, lex);
  if (s.search(lex.halfHour) >= 0) return 30;
  if (s.search(lex.quarterHour) >= 0) return 15;
  const pats = patterns(lex);
  const before = pats.minutesFirst?.exec(s);
  if (before) return Math.round(Number(before[1]));
  const beforeHours = pats.hoursFirst?.exec(s);
  if (beforeHours) return Math.round(Number(beforeHours[1]) * 60);
  const min = pats.minutes.exec(s);
  if (min) return Math.round(Number(min[1]));
  const hours = patterns(lex).hours.exec(s);
  if (hours) return Math.round(Number(hours[1]) * 60);
  return undefined;
}

function earliest<T extends string>(s: string, options: Array<[T, RegExp]>): T | undefined {
  let best: T | undefined;
  let at = Number.POSITIVE_INFINITY;
  for (const [value, re] of options) {
    const i = s.search(re);
    if (i >= 0 && i < at) {
      at = i;
      best = value;
    }
  }
  return best;
}

/** The interest groups named in the text ("nature and art" -> nature, arts). */
export function parseInterests(text: string, lex: Lexicon): InterestGroup[] {
  const s = prepare(text, lex);
  return lex.interests.filter(([, re]) => s.search(re) >= 0).map(([g]) => g);
}

/** A supported language named in the text ("español", "English"). */
export function parseLanguage(text: string, lex: Lexicon): string | undefined {
  return earliest(fold(text), lex.languages);
}

/**
 * Reads a quick request: "something for my 4 year old, 10 minutes, rainy day".
 * Only what is clearly there is returned; an empty object means nothing was understood.
 */
export function parseRequest(text: string, lex: Lexicon): Request {
  const s = prepare(text, lex);
  const req: Request = {};
  const ages = parseAges(text, lex).filter((a) => a <= MAX_AGE_MONTHS);
  if (ages.length > 0) req.ageMonths = Math.min(...ages);
  if (ages.length > 1) req.ages = ages;
  if (s.search(lex.rainy) >= 0) req.wet = true;
  if (s.search(lex.cold) >= 0) req.cold = true;
  if (s.search(lex.dark) >= 0) req.dark = true;
  if (s.search(lex.together) >= 0) req.together = true;
  const minutes = parseMinutes(text, lex);
  if (minutes !== undefined && minutes > 0) req.minutes = Math.min(minutes, 240);
  // Weather is no place: "надворі дощ" (raining outside) does not ask for an outdoor idea.
  const places = s.replace(lex.rainy, " ").replace(lex.cold, " ").replace(lex.dark, " ");
  const setting = earliest<Setting>(places, [
    ["home", lex.home],
    ["outdoors", lex.outdoors],
    ["out", lex.out],
  ]);
  if (setting) req.setting = setting;
  const energy = earliest<Energy>(s, [
    ["calm", lex.calm],
    ["active", lex.active],
  ]);
  if (energy) req.energy = energy;
  const interests = parseInterests(text, lex);
  if (interests.length > 0) req.interests = interests;
  return req;
}
