import type { Catalog } from "../catalog/catalog.ts";
import { type Relaxed, recommend, type Season } from "../catalog/recommend.ts";
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
  together: "activity.relaxed_together",
  energy: "",
  minutes: "activity.relaxed_minutes",
  setting: "activity.relaxed_setting",
  recent: "activity.relaxed_recent",
};

/** The season at a place and time: by month, flipped in the southern hemisphere. */
export function seasonAt(now: Date, lat: number): Season {
  const north: Season[] = [
    "winter",
    "winter",
    "spring",
    "spring",
    "spring",
    "summer",
    "summer",
    "summer",
    "autumn",
    "autumn",
    "autumn",
    "winter",
  ];
  const season = north[now.getUTCMonth()] as Season;
  if (lat >= 0) return season;
  return ({ winter: "summer", summer: "winter", spring: "autumn", autumn: "spring" } as const)[
    season
  ];
}

/**
 * The engine's `suggest`: what the family asked for this time (session vars) over what
 * is known of them (profile), through the recommender, written in any language.
 */
export function createSuggest(catalog: Catalog, speech: Speech): Suggest {
  return ({ profile, vars, now, seed }) => {
    const ages = profile.children.map((c) => ageInMonths(c.birthMonth, now));
    const asked = (vars.req_ages ?? "").split(",").filter(Boolean).map(Number);
    const together =
      asked.length > 1 ? asked : vars.req_together === "yes" && ages.length > 1 ? ages : undefined;
    const requested = vars.req_age !== undefined ? Number(vars.req_age) : undefined;
    const ageMonths = together
      ? Math.min(...together)
      : (requested ?? (ages.length > 0 ? ages[profile.suggestions % ages.length] : undefined));
    const setting = oneOf<Setting>(SETTINGS, vars.req_setting);
    const modes = (vars.req_modes ?? "")
      .split(",")
      .filter((m): m is Mode => oneOf(MODES, m) !== undefined);
    const cold = vars.req_cold === "yes";
    const r = recommend({
      activities: catalog.activities,
      ageMonths,
      togetherAges: together,
      minutes: vars.req_minutes !== undefined ? Number(vars.req_minutes) : undefined,
      setting,
      energy: oneOf<Energy>(ENERGIES, vars.req_energy),
      wet: vars.req_wet === "yes",
      dark: vars.req_dark === "yes",
      season: profile.area ? seasonAt(now, profile.area.lat) : cold ? "winter" : undefined,
      interests: modes.length > 0 ? modes : profile.interests,
      feedback: profile.feedback,
      stretch: profile.stretch,
      recent: profile.recent,
      seed,
    });
    if (!r) return undefined;
    const { activity } = r;
    const dropped = r.relaxed.filter((x) => NOTES[x] !== "");
    return {
      shown: {
        id: activity.id,
        energy: activity.energy,
        setting: activity.setting,
        minutes: activity.minutes,
      },
      render(locale) {
        const t = (key: string, v?: Record<string, string | number>) => speech.t(locale, key, v);
        const note = dropped[0]
          ? t(NOTES[dropped[0]], { setting: setting ? t(`activity.setting_${setting}`) : "" })
          : undefined;
        const forAge =
          together && !r.relaxed.includes("together")
            ? t("activity.for_together", {
                ages: together
                  .map((a) =>
                    a < 24
                      ? t("age.short_months", { count: a })
                      : t("age.short_years", { count: Math.floor(a / 12) }),
                  )
                  .join(" + "),
              })
            : ageMonths === undefined
              ? undefined
              : ageMonths < 24
                ? t("activity.for_months", { count: Math.max(1, ageMonths) })
                : t("activity.for_years", { count: Math.floor(ageMonths / 12) });
        return renderActivity({
          speech,
          locale,
          activity,
          text: catalog.text(activity.id, locale),
          forAge,
          note,
        });
      },
    };
  };
}

/** An activity's message in a language, without the child's age: for forwarding. */
export function createDescribe(catalog: Catalog, speech: Speech) {
  return (id: string, locale: string): string | undefined => {
    const activity = catalog.byId.get(id);
    return activity
      ? renderActivity({ speech, locale, activity, text: catalog.text(activity.id, locale) })
      : undefined;
  };
}
