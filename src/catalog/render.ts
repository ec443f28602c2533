import type { Speech } from "../flows/speech.ts";
import type { Activity, ActivityText } from "./schema.ts";

/** Longest message a parent gets. */
export const MAX_MESSAGE = 1000;

/**
 * Writes an activity as one short message in the family's language:
 * title and time, who and where, what you need, the steps, why it helps, easier / harder, safety.
 */
export function renderActivity(opts: {
  speech: Speech;
  locale: string;
  activity: Activity;
  text: ActivityText;
  /** "For your 4-year-old", when the age is known. */
  forAge?: string;
  /** A line before the activity, e.g. why a wish was dropped. */
  note?: string;
}): string {
  const { speech, locale, activity, text } = opts;
  const t = (key: string, vars?: Record<string, string | number>) => speech.t(locale, key, vars);
  const where = t(`activity.setting_${activity.setting}`);
  const lines = [
    ...(opts.note ? [opts.note, ""] : []),
    `🌱 ${t("activity.header", { title: text.title, minutes: activity.minutes })}`,
    opts.forAge ? `${opts.forAge} · ${where}` : where,
    "",
    t("activity.need", { need: text.need }),
    ...text.steps.map((s, i) => `${i + 1}. ${s}`),
    "",
    t("activity.why", { why: text.why }),
    t("activity.easier", { text: text.easier }),
    t("activity.harder", { text: text.harder }),
    ...(text.safety ? [t("activity.safety", { text: text.safety })] : []),
  ];
  return lines.join("\n");
}
