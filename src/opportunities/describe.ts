import type { NearbyItem } from "../core/types.ts";
import type { Speech } from "../flows/speech.ts";
import type { Occurrence } from "./occurrence.ts";
import type { Opportunity } from "./schema.ts";

/** An opportunity's next time, as the words of a message describe it. */
export function toNearbyItem(o: Opportunity, next: Occurrence, km: number): NearbyItem {
  return {
    id: o.id,
    title: o.title,
    description: o.description,
    startsAt: next.startsAt.toISOString(),
    timezone: o.timezone,
    place: o.place.name,
    km,
    cost: o.cost,
    ...(o.link ? { link: o.link } : {}),
  };
}

/** A language's name in another ("ucraniano"), for any code. */
export function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale, "en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Text in a language, or the first there is, and the language it is in. */
export function textIn(
  text: Record<string, string>,
  locale: string,
): { text: string; lang: string } {
  const lang = text[locale] !== undefined ? locale : (Object.keys(text)[0] ?? locale);
  return { text: text[lang] ?? "", lang };
}

/** "Sat, 5 Dec, 10:00" in the reader's language, at the opportunity's local time. */
export function formatWhen(locale: string, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(iso));
}

/**
 * One opportunity as a few short lines in the reader's language: what, when · how far · cost,
 * where, what it is, and a note when its own text is in another language.
 */
export function describeOpportunity(speech: Speech, locale: string, item: NearbyItem): string[] {
  const t = (key: string, vars?: Record<string, string | number>) => speech.t(locale, key, vars);
  const title = textIn(item.title, locale);
  const description = textIn(item.description, locale);
  const cost = item.cost === "free" ? t("nearby.free") : item.cost;
  const km = item.km < 1 ? "<1" : item.km.toFixed(item.km < 10 ? 1 : 0);
  const other =
    title.lang !== locale ? title.lang : description.lang !== locale ? description.lang : "";
  return [
    `📍 ${title.text}`,
    `${formatWhen(locale, item.startsAt, item.timezone)} · ${t("nearby.km", { km })} · ${cost}`,
    item.place,
    description.text.length > 160 ? `${description.text.slice(0, 157)}…` : description.text,
    ...(other ? [t("nearby.in_language", { language: languageName(other, locale) })] : []),
    ...(item.link ? [item.link] : []),
  ].filter((l) => l !== "");
}
