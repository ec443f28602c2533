import { ageInMonths } from "../core/suggest.ts";
import {
  type Choice,
  type FamilyState,
  type InboundEvent,
  type Lookup,
  type Mode,
  type NearbyItem,
  newProfile,
  type Outbound,
  type Profile,
  type Session,
} from "../core/types.ts";
import { describeOpportunity } from "../opportunities/describe.ts";
import { fold, isWordless } from "../text/normalize.ts";
import {
  MAX_AGE_MONTHS,
  parseAge,
  parseInterests,
  parseLanguage,
  parseRequest,
} from "../text/understand.ts";
import { INTEREST_GROUPS, type InterestGroup } from "../text/vocabulary.ts";
import { isAllowedTime, nextSlot } from "../tips/schedule.ts";
import { cityOf, offsetLabel, zoneFromText, zonesFor } from "../tips/timezone.ts";
import { buildChoices, isSetUp, matchChoice } from "./choices.ts";
import type { Flows } from "./load.ts";
import type { Step } from "./schema.ts";
import type { Speech } from "./speech.ts";

/** An activity picked and written for the family, and the facts the flow branches on. */
export interface Suggestion {
  /** The activity message in a language (the family's, or the second one in bilingual mode). */
  render(locale: string): string;
  shown: { id: string; energy: string; setting: string; minutes: number };
}

/** Picks and writes an activity (the recommender and the catalog, behind one function). */
export type Suggest = (input: {
  profile: Profile;
  vars: Readonly<Record<string, string>>;
  locale: string;
  now: Date;
  seed: number;
}) => Suggestion | undefined;

export interface EngineDeps {
  flows: Flows;
  speech: Speech;
  suggest: Suggest;
  /** An activity's message in a language, for forwarding to another caregiver. */
  describe(activityId: string, locale: string): string | undefined;
  /** Whether WhatsApp tips may go out as an approved template outside the 24-hour window. */
  whatsappTipsTemplate?: boolean;
  /** The deployment's named places ("Central Library"), for `nearby`. */
  places?: { find(name: string): { name: string; lat: number; lng: number } | undefined };
}

export interface TurnContext {
  now: Date;
  /** The platform's idea of the person's language (e.g. Telegram `language_code`). */
  localeHint?: string;
  /** The language this message is written in, when clear. */
  detectedLocale?: string;
  /** Varies suggestions between families and turns; same seed, same turn. */
  seed: number;
  /** Who this is (`whatsapp:+34…`): a number's country tells its time zones. */
  familyId?: string;
}

export interface TurnResult {
  state: FamilyState;
  out: Outbound[];
  /** The family asked to be erased: the host deletes everything and saves nothing. */
  deleted: boolean;
  /** Something to look up before the flow goes on: the host answers with a `found` event. */
  lookup?: Lookup;
}

/** Steps one turn may walk before the engine stops a loop. */
export const STEP_LIMIT = 60;
/** Longest message read; longer ones get a kind "in a few words, please". */
export const MAX_TEXT = 2000;
const MAX_CHILDREN = 6;
const MAX_RECENT = 60;
const MAX_FEEDBACK = 300;
const REQUEST_VARS = [
  "req_age",
  "req_ages",
  "req_minutes",
  "req_setting",
  "req_energy",
  "req_modes",
  "req_wet",
  "req_cold",
  "req_dark",
  "req_together",
];

/** A turn's working state: copies, so the state given is never changed. */
interface Turn {
  deps: EngineDeps;
  ctx: TurnContext;
  profile: Profile;
  session: Session;
  out: Outbound[];
  deleted: boolean;
  locale: string;
  lookup?: Lookup;
}

const t = (turn: Turn, key: string, vars?: Record<string, string | number>) =>
  turn.deps.speech.t(turn.locale, key, { ...turn.session.vars, ...vars });

function facts(turn: Turn): (name: string) => string {
  return (name) => {
    const p = turn.profile;
    switch (name) {
      case "profile.setup":
        return isSetUp(p) ? "yes" : "no";
      case "profile.locale":
        return p.locale ? "set" : "unset";
      case "profile.consent":
        return p.consent === undefined ? "unset" : p.consent ? "yes" : "no";
      case "profile.children":
        return String(p.children.length);
      case "profile.siblings":
        return p.children.length > 1 ? "yes" : "no";
      case "profile.ask_child":
        return p.children.length === 0 && p.consent !== false ? "yes" : "no";
      case "profile.area":
        return p.area ? "set" : "unset";
      case "profile.opportunities":
        return p.opportunities === undefined ? "unset" : p.opportunities ? "yes" : "no";
      case "profile.tips":
        return p.tips ? "on" : "off";
      case "profile.tips_need_writing":
        return turn.ctx.familyId?.startsWith("whatsapp:") && !turn.deps.whatsappTipsTemplate
          ? "yes"
          : "no";
      default:
        return name.startsWith("vars.") ? (turn.session.vars[name.slice(5)] ?? "") : "";
    }
  };
}

/** A message that can be written in any language (for bilingual mode). */
type Words = (locale: string) => string;

const w =
  (turn: Turn, key: string, vars?: Record<string, string | number>): Words =>
  (lng) =>
    turn.deps.speech.t(lng, key, { ...turn.session.vars, ...vars });

/** Longest message; a bilingual pair over it goes as two messages. */
const MAX_MESSAGE = 1000;

function push(turn: Turn, text: string, choices: Choice[]) {
  turn.out.push(choices.length > 0 ? { kind: "text", text, choices } : { kind: "text", text });
}

/** Sends a message (choices on it), in both languages when the family asked for two. */
function emit(turn: Turn, words: Words, choices: Choice[] = []) {
  const primary = words(turn.locale);
  const second = turn.profile.secondLocale;
  const secondary = second && second !== turn.locale ? words(second) : undefined;
  if (!secondary || secondary === primary) push(turn, primary, choices);
  else if (primary.length + secondary.length + 2 <= MAX_MESSAGE)
    push(turn, `${primary}\n\n${secondary}`, choices);
  else {
    push(turn, primary, []);
    push(turn, secondary, choices);
  }
  turn.session.choices = choices;
}

function choicesOf(turn: Turn, step: Step): Choice[] {
  if (!("choices" in step)) return [];
  const picked = (turn.session.vars.picked_ids ?? "").split(",").filter(Boolean);
  return buildChoices(step.choices, {
    speech: turn.deps.speech,
    locale: turn.locale,
    facts: facts(turn),
    picked,
    zones: zoneCandidates(turn).map((tz) => zoneLabel(tz, turn.ctx.now)),
  });
}

/** "4 years old", "18 months old": how an age reads in the family's language. */
export function ageLabel(speech: Speech, locale: string, months: number): string {
  if (months < 1) return speech.t(locale, "age.newborn");
  if (months < 24) return speech.t(locale, "age.months", { count: months });
  return speech.t(locale, "age.years", { count: Math.floor(months / 12) });
}

function birthMonth(now: Date, ageMonths: number): string {
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - ageMonths;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

const zoneCandidates = (turn: Turn) =>
  (turn.session.vars.tz_candidates ?? "").split(",").filter(Boolean);

/** "Los Angeles (UTC−8)", within a choice label's 24 characters. */
function zoneLabel(tz: string, now: Date): string {
  const offset = ` (${offsetLabel(tz, now)})`;
  return `${cityOf(tz).slice(0, 24 - offset.length)}${offset}`;
}

const TIME = /^(\d{1,2})(?:[:.h]\s?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/;

/** "18:00", "6pm", "18h30", "h1800" (a choice): a local time of day, or undefined. */
function parseTime(a: {
  id?: string;
  text?: string;
}): { hour: number; minute: number } | undefined {
  const id = /^h(\d{2})(\d{2})$/.exec(a.id ?? "");
  if (id) return { hour: Number(id[1]), minute: Number(id[2]) };
  const m = TIME.exec((a.text ?? "").toLowerCase().replace(/\s+/g, " ").trim());
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  if (m[3]?.startsWith("p") && hour < 12) hour += 12;
  if (m[3]?.startsWith("a") && hour === 12) hour = 0;
  return hour < 24 && minute < 60 ? { hour, minute } : undefined;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Puts the family's tips plan into session vars, for the messages that tell it. */
function describeTips(turn: Turn) {
  const tips = turn.profile.tips;
  const vars = turn.session.vars;
  if (!tips) return;
  const sorted = [...tips.days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  vars.tips_n = String(tips.perWeek);
  vars.tips_days_label = t(turn, `choice.days_${sorted.join("")}`);
  vars.tips_time = `${pad(tips.hour)}:${pad(tips.minute)}`;
  vars.tips_city = cityOf(tips.tz);
  const next = nextSlot(tips, turn.ctx.now);
  vars.tips_next = new Intl.DateTimeFormat(turn.locale, {
    timeZone: tips.tz,
    weekday: "long",
  }).format(next);
}

export const DEFAULT_RADIUS_KM = 5;
const MAX_RADIUS_KM = 40;
const MAX_LISTED = 5;

/** Opportunities near the family, soonest first: what, when, how far, how much, in a language. */
function nearbyList(turn: Turn, locale: string, items: readonly NearbyItem[]): string {
  const { speech } = turn.deps;
  const t = (key: string, vars?: Record<string, string | number>) => speech.t(locale, key, vars);
  const lines = [
    t("nearby.found", {
      count: items.length,
      radius: turn.profile.radiusKm ?? DEFAULT_RADIUS_KM,
    }),
  ];
  for (const item of items.slice(0, MAX_LISTED)) {
    const entry = ["", ...describeOpportunity(speech, locale, item)];
    if ([...lines, ...entry].join("\n").length > MAX_MESSAGE - 20) break;
    lines.push(...entry);
  }
  return lines.join("\n");
}

function act(turn: Turn, name: string) {
  const p = turn.profile;
  const vars = turn.session.vars;
  switch (name) {
    case "consent-yes":
      p.consent = true;
      break;
    case "consent-no":
      p.consent = false;
      p.children = [];
      p.interests = [];
      break;
    case "opt-out":
      p.optedOut = true;
      break;
    case "opt-in":
      p.optedOut = false;
      break;
    case "replace-children":
      vars.replace_children = "yes";
      break;
    case "clear-interests":
      delete vars.picks;
      delete vars.picked;
      delete vars.picked_ids;
      break;
    case "clear-request":
      for (const v of REQUEST_VARS) delete vars[v];
      break;
    case "shorter": {
      const shown = Number(vars.shown_minutes ?? 10);
      vars.req_minutes = String(Math.max(3, Math.min(shown - 1, Math.floor(shown * 0.6))));
      break;
    }
    case "record-feedback": {
      const id = vars.shown_id;
      if (vars.vote === "too_hard" || vars.vote === "too_easy") {
        const step = vars.vote === "too_hard" ? -0.5 : 0.5;
        p.stretch = Math.max(-1, Math.min(1, (p.stretch ?? 0) + step));
      }
      if (id && (vars.vote === "up" || vars.vote === "down")) {
        delete p.feedback[id];
        p.feedback[id] = vars.vote === "up" ? 1 : -1;
        const ids = Object.keys(p.feedback);
        for (const old of ids.slice(0, Math.max(0, ids.length - MAX_FEEDBACK)))
          delete p.feedback[old];
      }
      break;
    }
    case "guess-timezone": {
      if (p.tz) {
        vars.tz = p.tz;
        vars.tz_state = "known";
        break;
      }
      const zones = zonesFor(turn.ctx.familyId ?? "", p.area, turn.ctx.now);
      vars.tz_state = zones.length === 1 ? "known" : zones.length > 1 ? "choose" : "type";
      if (zones.length === 1) vars.tz = zones[0] as string;
      else vars.tz_candidates = zones.join(",");
      break;
    }
    case "tips-subscribe": {
      const perWeek = Number((vars.tips_count ?? "n3").slice(1)) || 3;
      const days = [...(vars.tips_days ?? "d135").slice(1)].map(Number);
      const [hour, minute] = (vars.tips_time ?? "18:00").split(":").map(Number);
      const tz = vars.tz ?? p.tz ?? "UTC";
      p.tz = tz;
      p.tips = {
        ...(p.tips ?? {}),
        perWeek: Math.min(perWeek, days.length),
        days,
        hour: hour ?? 18,
        minute: minute ?? 0,
        tz,
      };
      p.optedOut = false;
      for (const v of ["tips_count", "tips_days", "tz_candidates", "tz_state"]) delete vars[v];
      describeTips(turn);
      break;
    }
    case "forget-area":
      delete p.area;
      delete vars.lat;
      delete vars.lng;
      delete vars.place_name;
      break;
    case "widen-radius":
      p.radiusKm = Math.min(MAX_RADIUS_KM, (p.radiusKm ?? DEFAULT_RADIUS_KM) * 2);
      break;
    case "opportunities-yes":
      p.opportunities = true;
      p.optedOut = false;
      break;
    case "opportunities-no":
      p.opportunities = false;
      break;
    case "remind-me": {
      const at = Number(vars.remind_at);
      if (vars.opp_id && at > turn.ctx.now.getTime())
        p.reminders = { ...(p.reminders ?? {}), [vars.opp_id]: at };
      break;
    }
    case "not-interested":
      if (vars.opp_id) {
        p.dismissed = [
          ...(p.dismissed ?? []).filter((id) => id !== vars.opp_id),
          vars.opp_id,
        ].slice(-50);
        if (p.reminders) delete p.reminders[vars.opp_id];
      }
      break;
    case "describe-tips":
      describeTips(turn);
      break;
    case "tips-off":
      delete p.tips;
      delete p.pendingTip;
      break;
    case "delete-family":
      turn.deleted = true;
      turn.profile = newProfile();
      turn.session = { flow: "", step: "", vars: {}, choices: [] };
      break;
  }
}

function suggest(turn: Turn, step: Extract<Step, { type: "suggest" }>) {
  const vars = turn.session.vars;
  const s = turn.deps.suggest({
    profile: turn.profile,
    vars,
    locale: turn.locale,
    now: turn.ctx.now,
    seed: (turn.ctx.seed + turn.profile.suggestions * 7919) >>> 0,
  });
  if (!s) {
    emit(
      turn,
      w(turn, "activity.none"),
      choicesOf(turn, step).filter((c) => c.id === "another"),
    );
    return;
  }
  turn.profile.suggestions += 1;
  turn.profile.recent = [
    ...turn.profile.recent.filter((id) => id !== s.shown.id),
    s.shown.id,
  ].slice(-MAX_RECENT);
  vars.shown_id = s.shown.id;
  vars.shown_energy = s.shown.energy;
  vars.shown_setting = s.shown.setting;
  vars.shown_minutes = String(s.shown.minutes);
  vars.shown_short = s.shown.minutes <= 5 ? "yes" : "no";
  emit(turn, s.render, choicesOf(turn, step));
}

function endFlow(turn: Turn) {
  turn.session.flow = "";
  turn.session.step = "";
}

/** The last message gets the platform's "share location" button. */
function offerLocation(turn: Turn) {
  const last = turn.out.pop();
  if (last) turn.out.push({ ...last, kind: "location-request" });
}

/** The question again, kindly (its retry words), with its choices and location button. */
function askAgain(turn: Turn, step: Extract<Step, { type: "ask" }>) {
  emit(turn, w(turn, step.retry), choicesOf(turn, step));
  if (step.location) offerLocation(turn);
}

/** Walks a flow from a step until it waits for an answer or ends. */
function run(turn: Turn, flowId: string, from?: string | number) {
  let flow = turn.deps.flows.byId.get(flowId);
  let i =
    typeof from === "number"
      ? from
      : from
        ? (flow?.steps.findIndex((s) => s.id === from) ?? -1)
        : 0;
  for (let walked = 0; flow && i >= 0; walked++) {
    if (walked > STEP_LIMIT) {
      endFlow(turn);
      emit(turn, w(turn, "idle.fallback"));
      return;
    }
    const step = flow.steps[i];
    if (!step) return endFlow(turn);
    const at = (id: string | undefined) =>
      id === undefined ? i + 1 : (flow?.steps.findIndex((s) => s.id === id) ?? -1);
    switch (step.type) {
      case "say":
        emit(turn, w(turn, step.text), choicesOf(turn, step));
        i = at(step.next);
        break;
      case "ask":
        emit(turn, w(turn, step.text), choicesOf(turn, step));
        if (step.location) offerLocation(turn);
        turn.session.flow = flow.id;
        turn.session.step = step.id;
        return;
      case "suggest":
        suggest(turn, step);
        turn.session.flow = flow.id;
        turn.session.step = step.id;
        return;
      case "branch":
        i = at(step.cases[facts(turn)(step.on)] ?? step.else);
        break;
      case "find": {
        const vars = turn.session.vars;
        const where = vars.lat
          ? { lat: Number(vars.lat), lng: Number(vars.lng) }
          : turn.profile.area;
        if (!where) {
          i = at(step.next);
          break;
        }
        vars.radius = String(turn.profile.radiusKm ?? DEFAULT_RADIUS_KM);
        turn.lookup = {
          kind: "nearby",
          ...where,
          radiusKm: turn.profile.radiusKm ?? DEFAULT_RADIUS_KM,
          ageMonths: turn.profile.children.map((c) => ageInMonths(c.birthMonth, turn.ctx.now)),
        };
        turn.session.flow = flow.id;
        turn.session.step = step.id;
        return;
      }
      case "goto":
        flow = turn.deps.flows.byId.get(step.flow);
        i = step.step ? (flow?.steps.findIndex((s) => s.id === step.step) ?? -1) : 0;
        break;
      case "set":
        turn.session.vars[step.var] = step.value;
        i = at(step.next);
        break;
      case "act":
        act(turn, step.act);
        i = at(step.next);
        break;
      case "end":
        return endFlow(turn);
    }
  }
  endFlow(turn);
}

type Answer = {
  id?: string;
  text?: string;
  folded: string;
  location?: { lat: number; lng: number };
};

/** "51.45, -2.6": coordinates typed as they are copied from a map. */
function typedPoint(text: string): { lat: number; lng: number; name: string } | undefined {
  const m = /^\s*(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return undefined;
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  return Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng, name: "" } : undefined;
}

/**
 * A family that shares an area in another time zone keeps its tips at the same local hour
 * there (the zone changes, the hour does not).
 */
function followArea(turn: Turn) {
  const p = turn.profile;
  if (!p.area) return;
  const [tz] = zonesFor("", p.area, turn.ctx.now);
  if (!tz || tz === p.tz) return;
  p.tz = tz;
  if (p.tips) p.tips = { ...p.tips, tz };
}

/** Rounds a point to about 1 km (two decimals), as an area is kept. */
const roughly = (p: { lat: number; lng: number }) => ({
  lat: Math.round(p.lat * 100) / 100,
  lng: Math.round(p.lng * 100) / 100,
});

/** Tries the waiting step with an answer; returns where to go on, or undefined when it does not fit. */
function answer(
  turn: Turn,
  step: Step,
  a: Answer,
): { next: string | undefined } | "stay" | undefined {
  const { speech } = turn.deps;
  const vars = turn.session.vars;
  const lexicon = () => speech.lexicon(turn.profile.locale ?? turn.locale);
  if (step.type === "suggest") {
    const id = a.id;
    return id && step.on[id] !== undefined ? { next: step.on[id] } : undefined;
  }
  if (step.type !== "ask") return undefined;
  const on = (id: string) => ({ next: step.on?.[id] ?? step.next });
  switch (step.answer) {
    case "choice": {
      if (!a.id) return undefined;
      if (step.save) vars[step.save] = a.id;
      return on(a.id);
    }
    case "language": {
      const code = a.id ?? (a.text ? parseLanguage(a.text, speech.lexicon(undefined)) : undefined);
      if (!code || !speech.locales.includes(code)) return undefined;
      turn.profile.locale = code;
      turn.locale = code;
      if (turn.profile.secondLocale === code) delete turn.profile.secondLocale;
      return on(code);
    }
    case "second-language": {
      if (a.id === "off") {
        delete turn.profile.secondLocale;
        return on("off");
      }
      const code = a.id ?? (a.text ? parseLanguage(a.text, speech.lexicon(undefined)) : undefined);
      if (!code || !speech.locales.includes(code) || code === turn.locale) return undefined;
      turn.profile.secondLocale = code;
      vars.first = speech.t(turn.locale, "language.name");
      vars.second = speech.t(code, "language.name");
      return on(code);
    }
    case "age": {
      if (!a.text) return undefined;
      const months = parseAge(a.text, lexicon(), { bare: true });
      if (months === undefined) return undefined;
      if (months > MAX_AGE_MONTHS) {
        emit(turn, w(turn, "onboarding.age_too_old"));
        return "stay";
      }
      if (vars.replace_children === "yes") {
        turn.profile.children = [];
        delete vars.replace_children;
      }
      if (turn.profile.children.length < MAX_CHILDREN)
        turn.profile.children.push({ birthMonth: birthMonth(turn.ctx.now, months) });
      vars.age = ageLabel(speech, turn.locale, months);
      return on("");
    }
    case "hour": {
      const time = parseTime(a);
      if (!time || !isAllowedTime(time.hour, time.minute)) return undefined;
      vars.tips_time = `${pad(time.hour)}:${pad(time.minute)}`;
      return on("");
    }
    case "timezone": {
      const picked = /^tz(\d)$/.exec(a.id ?? "");
      const tz = picked
        ? zoneCandidates(turn)[Number(picked[1])]
        : a.location
          ? zonesFor("", a.location, turn.ctx.now)[0]
          : zoneFromText(a.text ?? "");
      if (!tz) return undefined;
      vars.tz = tz;
      return on("");
    }
    case "place": {
      const found = a.location
        ? { ...a.location, name: "" }
        : a.text
          ? (typedPoint(a.text) ?? turn.deps.places?.find(a.text))
          : undefined;
      if (!found) return undefined;
      const area = roughly(found);
      vars.lat = String(area.lat);
      vars.lng = String(area.lng);
      vars.place_name = found.name;
      if (turn.profile.consent === true) {
        turn.profile.area = area;
        followArea(turn);
      }
      return on("");
    }
    case "interest": {
      let groups: string[] = a.id ? [a.id] : a.text ? parseInterests(a.text, lexicon()) : [];
      if (groups.includes("done")) return on("done");
      const picked = (vars.picked_ids ?? "").split(",").filter(Boolean);
      groups = groups.filter((g) => g in INTEREST_GROUPS && !picked.includes(g));
      if (groups.length === 0) return undefined;
      const all = [...picked, ...groups].slice(0, 3) as InterestGroup[];
      vars.picked_ids = all.join(",");
      vars.picks = String(all.length);
      vars.picked = all
        .slice(picked.length)
        .map((g) => speech.t(turn.locale, `interest.${g}`))
        .join(", ");
      turn.profile.interests = [
        ...new Set(all.flatMap((g) => INTEREST_GROUPS[g] as readonly Mode[])),
      ];
      return on("");
    }
  }
}

function waitingStep(turn: Turn): Step | undefined {
  const { flow, step } = turn.session;
  if (!flow || !step) return undefined;
  return turn.deps.flows.byId.get(flow)?.steps.find((s) => s.id === step);
}

/** Puts what a free-text request asked for into the session, for the next suggestion. */
function applyRequest(turn: Turn, text: string): boolean {
  const req = parseRequest(text, turn.deps.speech.lexicon(turn.profile.locale));
  if (Object.keys(req).length === 0) return false;
  const vars = turn.session.vars;
  for (const v of REQUEST_VARS) delete vars[v];
  if (req.ageMonths !== undefined && req.ageMonths <= MAX_AGE_MONTHS)
    vars.req_age = String(req.ageMonths);
  if (req.minutes !== undefined) vars.req_minutes = String(req.minutes);
  if (req.setting) vars.req_setting = req.setting;
  if (req.energy) vars.req_energy = req.energy;
  if (req.interests) vars.req_modes = req.interests.flatMap((g) => INTEREST_GROUPS[g]).join(",");
  if (req.ages) vars.req_ages = req.ages.join(",");
  if (req.wet) vars.req_wet = "yes";
  if (req.cold) vars.req_cold = "yes";
  if (req.dark) vars.req_dark = "yes";
  if (req.together) vars.req_together = "yes";
  return true;
}

/**
 * "send this to grandma in Ukrainian": the last activity, written in that language, ready to
 * forward. Returns false when the message is not such a request.
 */
function forward(turn: Turn, text: string): boolean {
  const { speech } = turn.deps;
  const lex = speech.lexicon(turn.profile.locale ?? turn.locale);
  const folded = fold(text);
  if (folded.search(lex.forward) < 0) return false;
  const code = parseLanguage(text, speech.lexicon(undefined));
  if (!code) return false;
  const again = turn.session.choices;
  if (!speech.locales.includes(code)) {
    const languages = speech.locales.map((l) => speech.t(l, "language.name")).join(", ");
    emit(turn, w(turn, "forward.unsupported", { languages }), again);
    return true;
  }
  const id = turn.session.vars.shown_id;
  const message = id ? turn.deps.describe(id, code) : undefined;
  if (!message) {
    emit(turn, w(turn, "forward.no_idea"), helpChoices(turn));
    return true;
  }
  emit(turn, w(turn, "forward.intro", { language: speech.t(code, "language.name") }));
  push(turn, message, again);
  turn.session.choices = again;
  return true;
}

function helpChoices(turn: Turn): Choice[] {
  return ["idea", "help"].map((id) => ({ id, label: t(turn, `choice.${id}`) }));
}

function handle(turn: Turn, event: InboundEvent) {
  const { speech, flows } = turn.deps;
  const again = turn.session.choices;
  if (event.kind === "media")
    return emit(turn, w(turn, "idle.media"), again.length ? again : helpChoices(turn));
  const waitingNow = waitingStep(turn);
  if (event.kind === "found") {
    if (waitingNow?.type !== "find") return;
    turn.session.vars.nearby_count = String(event.nearby.length);
    if (event.nearby.length > 0) emit(turn, (lng) => nearbyList(turn, lng, event.nearby));
    return run(turn, turn.session.flow, nextIndex(turn, waitingNow));
  }
  if (
    event.kind === "location" &&
    waitingNow?.type === "ask" &&
    (waitingNow.answer === "place" || waitingNow.answer === "timezone")
  ) {
    const r = answer(turn, waitingNow, {
      folded: "",
      location: { lat: event.lat, lng: event.lng },
    });
    if (r && r !== "stay")
      return run(turn, turn.session.flow, r.next ?? nextIndex(turn, waitingNow));
  }
  if (event.kind === "location") {
    if (turn.profile.consent !== true)
      return emit(turn, w(turn, "idle.location"), again.length ? again : helpChoices(turn));
    turn.profile.area = roughly(event);
    followArea(turn);
    return emit(turn, w(turn, "idle.area_saved"), again.length ? again : helpChoices(turn));
  }
  let a: Answer;
  if (event.kind === "choice") {
    a = { id: event.id, folded: "" };
  } else {
    if (event.text.length > MAX_TEXT) return emit(turn, w(turn, "idle.too_long"), again);
    const folded = fold(event.text);
    const trigger = speech.keyword(folded);
    if (trigger && flows.triggers.has(trigger))
      return run(turn, flows.triggers.get(trigger) as string);
    if (forward(turn, event.text)) return;
    a = { text: event.text, folded, id: matchChoice(folded, again, speech, turn.locale) };
  }
  const waiting = waitingStep(turn);
  if (waiting) {
    const r = answer(turn, waiting, a);
    if (r === "stay") return;
    if (r) return run(turn, turn.session.flow, r.next ?? nextIndex(turn, waiting));
  }
  if (a.id) {
    const flow =
      flows.triggers.get(a.id) ?? (a.id === "another" ? flows.triggers.get("idea") : undefined);
    if (flow) return run(turn, flow);
    return emit(turn, w(turn, "idle.choices_expired"), helpChoices(turn));
  }
  if (a.text && !isWordless(a.text) && applyRequest(turn, a.text)) return run(turn, "idea", "show");
  if (waiting && waiting.type === "ask") return askAgain(turn, waiting);
  if (waiting) return emit(turn, w(turn, "idle.fallback"), turn.session.choices);
  if (!isSetUp(turn.profile) && turn.profile.suggestions === 0) return run(turn, "onboarding");
  emit(turn, w(turn, "idle.fallback"), helpChoices(turn));
}

/** The position after `step` in the waiting flow (when it names no next). */
function nextIndex(turn: Turn, step: Step): number {
  const flow = turn.deps.flows.byId.get(turn.session.flow);
  return flow ? flow.steps.indexOf(step) + 1 : -1;
}

/**
 * One turn of conversation, pure: the family's state and what they did in,
 * the new state and the messages to send out. Nothing is read or written elsewhere.
 */
export function runTurn(
  deps: EngineDeps,
  state: FamilyState,
  event: InboundEvent,
  ctx: TurnContext,
): TurnResult {
  const profile = structuredClone(state.profile);
  const session = structuredClone(state.session) ?? { flow: "", step: "", vars: {}, choices: [] };
  const supported = (code: string | undefined) => {
    const short = code?.toLowerCase().slice(0, 2);
    return short && deps.speech.locales.includes(short) ? short : undefined;
  };
  const locale =
    profile.locale ??
    supported(ctx.detectedLocale) ??
    supported(session.vars.lang) ??
    supported(ctx.localeHint) ??
    deps.speech.defaultLocale;
  if (!profile.locale) session.vars.lang = locale;
  const turn: Turn = { deps, ctx, profile, session, out: [], deleted: false, locale };
  handle(turn, event);
  if (turn.profile.locale) delete turn.session.vars.lang;
  return {
    state: { profile: turn.profile, session: turn.deleted ? null : turn.session },
    out: turn.out,
    deleted: turn.deleted,
    ...(turn.lookup ? { lookup: turn.lookup } : {}),
  };
}
