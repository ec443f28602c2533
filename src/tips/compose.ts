import type { Catalog } from "../catalog/catalog.ts";
import { hashString, recommend } from "../catalog/recommend.ts";
import type { Activity } from "../catalog/schema.ts";
import { ageInMonths, seasonAt } from "../core/suggest.ts";
import type { Choice, Outbound, Profile, TipsSubscription } from "../core/types.ts";
import type { Speech } from "../flows/speech.ts";
import { slotPart, weekOf } from "./schedule.ts";

/** Longest tip message, in every language. */
export const MAX_TIP = 400;
/** How many tip activities a family's profile remembers: a year of weeks, no repeats. */
export const TIPS_SEEN = 60;

/** What the week's tips are, by how many a week: a fact, the activity, a follow-up. */
const ARCS: Record<number, readonly TipKind[]> = {
  1: ["activity"],
  2: ["activity", "follow_up"],
  3: ["fact", "activity", "follow_up"],
};
export type TipKind = "fact" | "activity" | "follow_up";

export interface TipDeps {
  catalog: Catalog;
  speech: Speech;
}

/** A tip's text in one language: short, one of the week's arc. */
export function tipText(
  deps: TipDeps,
  locale: string,
  activity: Activity,
  kind: TipKind,
  ageMonths?: number,
): string {
  const { speech, catalog } = deps;
  const t = (key: string, vars?: Record<string, string | number>) => speech.t(locale, key, vars);
  const text = catalog.text(activity.id, locale);
  if (kind === "fact") return t("tips.fact", { why: text.why });
  if (kind === "follow_up") return t("tips.follow_up", { title: text.title });
  const age =
    ageMonths === undefined
      ? ""
      : ageMonths < 24
        ? t("age.short_months", { count: Math.max(1, ageMonths) })
        : t("age.short_years", { count: Math.floor(ageMonths / 12) });
  return t("tips.activity", {
    title: text.title,
    minutes: activity.minutes,
    age,
    steps: text.steps.join(" "),
  }).replace(/ \(\s*\)/, "");
}

const eligibleCache = new WeakMap<Catalog, Activity[]>();

/** The activities whose tip fits in MAX_TIP characters in every language. */
export function tipActivities(deps: TipDeps): Activity[] {
  let list = eligibleCache.get(deps.catalog);
  if (!list) {
    list = deps.catalog.activities.filter((a) =>
      deps.speech.locales.every((l) =>
        (["fact", "activity", "follow_up"] as const).every(
          (k) => [...tipText(deps, l, a, k, 150)].length <= MAX_TIP,
        ),
      ),
    );
    eligibleCache.set(deps.catalog, list);
  }
  return list;
}

/** Picks the activity for a week: fits a child's age now, not a past tip, modes rotating. */
function pickActivity(
  deps: TipDeps,
  profile: Profile,
  sub: TipsSubscription,
  now: Date,
  familyKey: string,
): { activity: Activity; ageMonths?: number } | undefined {
  const ages = profile.children.map((c) => ageInMonths(c.birthMonth, now));
  const seen = sub.seen ?? [];
  const ageMonths = ages.length ? ages[seen.length % ages.length] : undefined;
  const r = recommend({
    activities: tipActivities(deps),
    ageMonths,
    season: profile.area ? seasonAt(now, profile.area.lat) : undefined,
    interests: profile.interests,
    feedback: profile.feedback,
    stretch: profile.stretch,
    recent: [...profile.recent.slice(-20), ...seen],
    noRepeat: 20 + seen.length,
    seed: hashString(`${familyKey}:${sub.week}`),
  });
  return r ? { activity: r.activity, ageMonths } : undefined;
}

export interface ComposedTip {
  kind: TipKind;
  activityId: string;
  out: Outbound[];
  /** The subscription after this tip (the week's activity, what was seen). */
  subscription: TipsSubscription;
  /** For a follow-up: the session waits for how it went, as after an idea. */
  feedbackChoices?: Choice[];
}

/**
 * The tip for one slot: which of the week's arc it is, about the week's activity, in the
 * family's language (and the second one in bilingual mode). Pure.
 */
export function composeTip(
  deps: TipDeps,
  profile: Profile,
  sub: TipsSubscription,
  slot: Date,
  familyKey: string,
): ComposedTip | undefined {
  const arc = ARCS[sub.perWeek] ?? ARCS[3] ?? [];
  const week = weekOf(slot, sub.tz);
  const next: TipsSubscription = { ...sub, seen: [...(sub.seen ?? [])] };
  let activity =
    sub.week === week && sub.activity ? deps.catalog.byId.get(sub.activity) : undefined;
  let kind = arc[Math.min(arc.length - 1, slotPart(sub, slot))] ?? "activity";
  // Joined mid-week: no activity to follow up yet, so this slot brings one.
  if (!activity && kind === "follow_up") kind = "activity";
  const ages = profile.children.map((c) => ageInMonths(c.birthMonth, slot));
  let ageMonths = ages.length ? Math.min(...ages) : undefined;
  if (!activity) {
    next.week = week;
    const picked = pickActivity(deps, profile, next, slot, familyKey);
    if (!picked) return undefined;
    activity = picked.activity;
    ageMonths = picked.ageMonths;
    next.activity = activity.id;
    next.seen = [...(next.seen ?? []).filter((id) => id !== activity?.id), activity.id].slice(
      -TIPS_SEEN,
    );
  }
  const locale = profile.locale ?? deps.speech.defaultLocale;
  const chosen = activity;
  const write = (l: string) => tipText(deps, l, chosen, kind, ageMonths);
  const primary = write(locale);
  const second =
    profile.secondLocale && profile.secondLocale !== locale ? write(profile.secondLocale) : "";
  const feedbackChoices =
    kind === "follow_up"
      ? (["up", "down", "too_hard", "too_easy"] as const).map((id) => ({
          id,
          label: deps.speech.t(locale, `choice.${id}`),
        }))
      : undefined;
  const text = second ? `${primary}\n\n${second}` : primary;
  const out: Outbound[] = [
    feedbackChoices ? { kind: "text", text, choices: feedbackChoices } : { kind: "text", text },
  ];
  return { kind, activityId: chosen.id, out, subscription: next, feedbackChoices };
}
