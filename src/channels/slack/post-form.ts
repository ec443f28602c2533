import * as chrono from "chrono-node";
import type { Places } from "../../opportunities/places.ts";
import {
  describeIssues,
  type NewOpportunity,
  opportunityInput,
} from "../../opportunities/schema.ts";
import { isTimeZone, localTime, offsetMinutes, zonedInstant } from "../../time/zone.ts";
import { offsetLabel } from "../../tips/timezone.ts";
import { escapeMrkdwn as esc } from "./render.ts";

/**
 * The Slack modal a community worker posts an opportunity with, and what its answers mean:
 * dates typed naturally ("next Saturday 10am", "sábado 10:00") read with chrono in the text's
 * language and the time zone given, ages ("0-4", "18 months - 5"), a place by name or
 * coordinates. Pure: no Slack calls here.
 */

export const POST_VIEW = "sprout_post";
export const CONFIRM_VIEW = "sprout_post_confirm";
const LANGUAGES = ["en", "es", "fr", "pt", "ar", "zh", "hi", "sw", "uk", "vi"] as const;

type Blocks = Array<Record<string, unknown>>;
const plain = (text: string) => ({ type: "plain_text", text });

function input(
  id: string,
  label: string,
  opts: { hint?: string; optional?: boolean; initial?: string; multiline?: boolean } = {},
) {
  return {
    type: "input",
    block_id: id,
    optional: opts.optional ?? false,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element: {
      type: "plain_text_input",
      action_id: "v",
      ...(opts.multiline ? { multiline: true } : {}),
      ...(opts.initial ? { initial_value: opts.initial } : {}),
    },
  };
}

/** The modal, the time zone prefilled from the worker's Slack profile. */
export function postView(timezone: string): Record<string, unknown> {
  const blocks: Blocks = [
    input("title", "Title", { hint: "e.g. Rhyme time for babies and toddlers" }),
    input("description", "What happens", { multiline: true }),
    {
      type: "input",
      block_id: "language",
      label: plain("Language of the text above"),
      element: {
        type: "static_select",
        action_id: "v",
        initial_option: { text: plain("en"), value: "en" },
        options: LANGUAGES.map((l) => ({ text: plain(l), value: l })),
      },
    },
    input("starts", "Starts", { hint: 'e.g. "next Saturday 10am", "sábado 10:00", "5 Dec 14:00"' }),
    input("ends", "Ends", { hint: 'a time ("11:30"), a length ("1 hour", "90 min") or a date' }),
    input("timezone", "Time zone", { initial: timezone, hint: "e.g. Europe/London" }),
    input("place", "Place", { hint: 'a place on your list ("Central Library") or "51.45, -2.59"' }),
    input("address", "Address", { optional: true }),
    input("ages", "Ages", { hint: 'e.g. "0-4", "18 months - 5", "5 to 11 years"' }),
    input("cost", "Cost", { initial: "free", hint: '"free" or e.g. "£3"' }),
    input("languages", "Languages spoken there", { optional: true, hint: "e.g. en, es" }),
    input("link", "Booking link", { optional: true }),
    input("accessibility", "Accessibility", { optional: true }),
    input("organiser", "Organiser", { optional: true }),
  ];
  return {
    type: "modal",
    callback_id: POST_VIEW,
    title: plain("Post an opportunity"),
    submit: plain("Check"),
    close: plain("Cancel"),
    blocks,
  };
}

/** The value of each input of a submitted view. */
export function viewValues(view: unknown): Record<string, string> {
  const values = (view as { state?: { values?: Record<string, Record<string, unknown>> } })?.state
    ?.values;
  const out: Record<string, string> = {};
  for (const [block, actions] of Object.entries(values ?? {})) {
    const v = actions.v as
      | { value?: string | null; selected_option?: { value?: string } }
      | undefined;
    const value = v?.selected_option?.value ?? v?.value ?? "";
    if (value) out[block] = String(value).trim();
  }
  return out;
}

type Parser = typeof chrono.en;
const parserFor = (lang: string): Parser =>
  (chrono as unknown as Record<string, Parser>)[lang] ?? chrono.en;

/** A date and time read from what a worker typed, or why not. */
export type When = { at: Date } | { problem: "unreadable" | "no_time" };

/**
 * A date and time typed in a language (`lang`'s chrono parser, then English), as wall-clock time
 * in `tz`, the first one after `after`. With `dayOf`, a bare time ("11:30") is on that instant's
 * local day (an end time, on the day it starts).
 * @example readWhen("sábado 10:00", "es", "Europe/Madrid", new Date())
 */
export function readWhen(
  text: string,
  lang: string,
  tz: string,
  after: Date,
  opts: { dayOf?: Date } = {},
): When {
  const ref = { instant: after, timezone: offsetMinutes(tz, after) };
  let problem: "unreadable" | "no_time" = "unreadable";
  const parsers = lang === "en" ? [chrono.en] : [parserFor(lang), chrono.en];
  for (const parser of parsers) {
    const r = parser.parse(text, ref, { forwardDate: true })[0];
    if (!r) continue;
    if (!r.start.isCertain("hour")) {
      problem = "no_time";
      continue;
    }
    const get = (k: "year" | "month" | "day" | "hour" | "minute") => r.start.get(k) ?? 0;
    const bareTime =
      !r.start.isCertain("day") && !r.start.isCertain("weekday") && !r.start.isCertain("month");
    const day = opts.dayOf && bareTime ? localTime(opts.dayOf, tz) : undefined;
    return {
      at: zonedInstant(tz, {
        year: day?.year ?? get("year"),
        month: day?.month ?? get("month"),
        day: day?.day ?? get("day"),
        hour: get("hour"),
        minute: get("minute"),
      }),
    };
  }
  return { problem };
}

const DURATION =
  /^(?:(\d+(?:[.,]\d+)?)\s*(?:h|hrs?|hours?|horas?|heures?|hr)\.?)?\s*(?:(\d+)\s*(?:m|mins?|minutes?|minutos?))?$/i;

/** "1 hour", "90 min", "1h30": a length in minutes. */
function readDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim().replace(/^(\d+)h(\d+)$/i, "$1h $2m"));
  if (!m || (!m[1] && !m[2])) return undefined;
  return Math.round(Number((m[1] ?? "0").replace(",", ".")) * 60 + Number(m[2] ?? 0));
}

const AGES =
  /^(\d+(?:[.,]\d+)?)\s*(m|mo|months?|meses|mois|y|yrs?|years?|años|ans|anos)?\s*(?:-|–|to|a|à|até|bis)\s*(\d+(?:[.,]\d+)?)\s*(m|mo|months?|meses|mois|y|yrs?|years?|años|ans|anos)?$/i;

/** "0-4", "18 months - 5", "6-18 months", "5 to 11 years": ages in months (years unless said). */
export function readAges(text: string): { minMonths: number; maxMonths: number } | undefined {
  const m = AGES.exec(text.trim());
  if (!m) return undefined;
  const months = (n: string, unit: string | undefined) =>
    Math.round(Number(n.replace(",", ".")) * (unit && /^m/i.test(unit) ? 1 : 12));
  // "6-18 months": the unit said once is both's (but "18 months - 5" is 18 months to 5 years).
  const minMonths = months(m[1] as string, m[2] ?? m[4]);
  const upper = months(m[3] as string, m[4]);
  // "0-4 years": up to the end of the fourth year (4 years 11 months).
  const maxMonths = m[4] && /^m/i.test(m[4]) ? upper : Math.min(216, upper + 11);
  return minMonths <= maxMonths ? { minMonths, maxMonths } : undefined;
}

const FREE = /^(free|gratis|gratuit|gratuito|grátis|bure|безкоштовно|miễn phí|0)$/i;
const POINT = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$/;

/** Where each API field is asked in the modal (for errors shown next to the right input). */
const BLOCK_OF: Record<string, string> = {
  title: "title",
  description: "description",
  startsAt: "starts",
  endsAt: "ends",
  timezone: "timezone",
  place: "place",
  ages: "ages",
  cost: "cost",
  languages: "languages",
  link: "link",
  accessibility: "accessibility",
  organiser: "organiser",
};

const STARTS_PROBLEM = {
  unreadable: 'I couldn\'t read that date: try "Saturday 10am" or "5 Dec 14:00"',
  no_time: 'Add the time too, e.g. "Saturday 10am"',
} as const;

/** Slack keeps at most 3000 characters in a view's private_metadata (the confirmed body rides there). */
export const METADATA_MAX = 3000;

export type FormResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; errors: Record<string, string> };

/**
 * The API body a submitted modal means, or the problems, by input (shown under each).
 * @example readPostForm(viewValues(view), { places, now: new Date() })
 */
export function readPostForm(
  v: Record<string, string>,
  deps: { places: Places; now: Date },
): FormResult {
  const errors: Record<string, string> = {};
  const lang = v.language ?? "en";
  const tz = v.timezone ?? "UTC";
  if (!isTimeZone(tz)) errors.timezone = "I don't know that time zone: try e.g. Europe/London";
  let starts: Date | undefined;
  let ends: Date | undefined;
  if (!errors.timezone && v.starts) {
    const when = readWhen(v.starts, lang, tz, deps.now);
    if ("at" in when && when.at.getTime() <= deps.now.getTime())
      errors.starts = "That is in the past: give a date to come";
    else if ("at" in when) starts = when.at;
    else errors.starts = STARTS_PROBLEM[when.problem];
  }
  if (starts && v.ends) {
    const minutes = readDuration(v.ends);
    const when =
      minutes !== undefined
        ? { at: new Date(starts.getTime() + minutes * 60_000) }
        : readWhen(v.ends, lang, tz, starts, { dayOf: starts });
    if (!("at" in when)) errors.ends = 'I couldn\'t read that: try "11:30", "1 hour" or a date';
    else if (when.at.getTime() <= starts.getTime())
      errors.ends = 'That is before it starts: give the end time ("11:30") or a length ("1 hour")';
    else ends = when.at;
  }
  let place: Record<string, unknown> | undefined;
  if (v.place) {
    const point = POINT.exec(v.place);
    const known = point ? undefined : deps.places.find(v.place);
    if (point) place = { name: v.address ?? v.place, lat: Number(point[1]), lng: Number(point[2]) };
    else if (known) place = { name: known.name, lat: known.lat, lng: known.lng };
    else errors.place = 'Not on your list of places: give its name as listed, or "lat, lng"';
    if (place && v.address) place.address = v.address;
  }
  const ages = v.ages ? readAges(v.ages) : undefined;
  if (v.ages && !ages) errors.ages = 'Try e.g. "0-4", "18 months - 5" or "5 to 11 years"';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const body: Record<string, unknown> = {
    title: { [lang]: v.title ?? "" },
    description: { [lang]: v.description ?? "" },
    startsAt: starts?.toISOString(),
    endsAt: ends?.toISOString(),
    timezone: tz,
    place,
    ages,
    cost: v.cost && FREE.test(v.cost) ? "free" : v.cost,
    languages: (v.languages ?? lang)
      .split(/[,\s]+/)
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean),
    ...(v.link ? { link: v.link } : {}),
    ...(v.accessibility ? { accessibility: v.accessibility } : {}),
    ...(v.organiser ? { organiser: v.organiser } : {}),
  };
  const parsed = opportunityInput.safeParse(body);
  if (parsed.success && JSON.stringify(body).length > METADATA_MAX)
    return { ok: false, errors: { description: "Too long for Slack: please shorten it" } };
  if (parsed.success) return { ok: true, body };
  for (const issue of parsed.error.issues) {
    const block = BLOCK_OF[String(issue.path[0])] ?? "title";
    errors[block] ??= describeIssues({ issues: [issue] } as never).replace(/^[^:]+: /, "");
  }
  return { ok: false, errors };
}

/** "Sat, 5 Dec 2026, 10:00–11:00 (Europe/London, UTC+0)". */
export function describeWhen(body: Record<string, unknown>): string {
  const tz = String(body.timezone);
  const start = new Date(String(body.startsAt));
  const end = new Date(String(body.endsAt));
  const day = new Intl.DateTimeFormat("en-GB", {
    timeZone: tz,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
  }).format(start);
  const time = (d: Date) =>
    new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit" }).format(
      d,
    );
  return `${day}, ${time(start)}–${time(end)} (${tz}, ${offsetLabel(tz, start)})`;
}

const ageText = (m: number) =>
  m === 0 ? "birth" : m < 24 ? `${m} months` : `${Math.floor(m / 12)} years`;

/** What was understood, to confirm before posting (the body rides in private_metadata). */
export function confirmView(body: Record<string, unknown>): Record<string, unknown> {
  const title = Object.values(body.title as Record<string, string>)[0] ?? "";
  const place = body.place as { name: string; lat: number; lng: number; address?: string };
  const ages = body.ages as { minMonths: number; maxMonths: number };
  const lines = [
    `*${esc(title)}*`,
    `🗓️ ${describeWhen(body)}`,
    `📍 ${esc(place.name)} (${place.lat.toFixed(4)}, ${place.lng.toFixed(4)})${place.address ? `, ${esc(place.address)}` : ""}`,
    `👶 ${ageText(ages.minMonths)} to ${ageText(ages.maxMonths)} · ${esc(String(body.cost))}`,
  ];
  return {
    type: "modal",
    callback_id: CONFIRM_VIEW,
    title: plain("Is this right?"),
    submit: plain("Confirm"),
    close: plain("Back"),
    private_metadata: JSON.stringify(body).slice(0, 3000),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n") } }],
  };
}

/** The opportunity a confirmation view carries (checked again), or why it cannot be posted. */
export function readConfirmed(
  metadata: string | undefined,
): { ok: true; input: NewOpportunity } | { ok: false; problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(metadata ?? "");
  } catch {
    return { ok: false, problem: "the form was lost on the way: please try /sprout post again" };
  }
  const parsed = opportunityInput.safeParse(raw);
  return parsed.success
    ? { ok: true, input: parsed.data }
    : { ok: false, problem: describeIssues(parsed.error) };
}
