import type { Catalog } from "../catalog/catalog.ts";
import { type Relaxed, recommend } from "../catalog/recommend.ts";
import { renderActivity } from "../catalog/render.ts";
import type { Suggest } from "../flows/engine.ts";
import type { Speech } from "../flows/speech.ts";
import { ENERGIES, type Energy, MODES, type Mode, SETTINGS, type Setting } from "./types.ts";

/** Months between a birth month ("YYYY-MM") and now. */
export function ageInMonths(birthMonth: string, now: Date): number {
  const [y, m] = birthMonth.split("-").map(Number);
  return Math.max(
    0,
    now.getUTCFullYear() * 12 + now.getUTCMonth() - ((y ?? 0) * 12 + (m ?? 1) - 1),
  );
}

const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined =>
  list.includes(v as T) ? (v as T) : undefined;

const NOTES: Record<Relaxed, string> = {
  energy: "",
  minutes: "activity.relaxed_minutes",
  setting: "activity.relaxed_setting",
  recent: "activity.relaxed_recent",
};

/**
 * The engine's `suggest`: what the family asked for this time (session vars) over what
 * is known of them (profile), through the recommender, written in their language.
 */
export function createSuggest(catalog: Catalog, speech: Speech): Suggest {
  return ({ profile, vars, locale, now, seed }) => {
    const requested = vars.req_age !== undefined ? Number(vars.req_age) : undefined;
    const ages = profile.children.map((c) => ageInMonths(c.birthMonth, now));
    const ageMonths =
      requested ?? (ages.length > 0 ? ages[profile.suggestions % ages.length] : undefined);
    const setting = oneOf<Setting>(SETTINGS, vars.req_setting);
    const asked = (vars.req_modes ?? "")
      .split(",")
      .filter((m): m is Mode => oneOf(MODES, m) !== undefined);
    const r = recommend({
      activities: catalog.activities,
      byId: catalog.byId,
      ageMonths,
      minutes: vars.req_minutes !== undefined ? Number(vars.req_minutes) : undefined,
      setting,
      energy: oneOf<Energy>(ENERGIES, vars.req_energy),
      interests: asked.length > 0 ? asked : profile.interests,
      feedback: profile.feedback,
      recent: profile.recent,
      seed,
    });
    if (!r) return undefined;
    const { activity } = r;
    const t = (key: string, v?: Record<string, string | number>) => speech.t(locale, key, v);
    const dropped = r.relaxed.filter((x) => NOTES[x] !== "");
    const note = dropped[0]
      ? t(NOTES[dropped[0]], { setting: setting ? t(`activity.setting_${setting}`) : "" })
      : undefined;
    const forAge =
      ageMonths === undefined
        ? undefined
        : ageMonths < 24
          ? t("activity.for_months", { count: Math.max(1, ageMonths) })
          : t("activity.for_years", { count: Math.floor(ageMonths / 12) });
    return {
      text: renderActivity({
        speech,
        locale,
        activity,
        text: catalog.text(activity.id, locale),
        forAge,
        note,
      }),
      shown: {
        id: activity.id,
        energy: activity.energy,
        setting: activity.setting,
        minutes: activity.minutes,
      },
    };
  };
}
