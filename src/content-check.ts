import { renderActivity } from "./catalog/render.ts";
import { buildContent, type Content, type ContentSources } from "./content.ts";
import { flowKeys } from "./flows/load.ts";

/** Longest message, choice label and WhatsApp button title (DESIGN.md, issue limits). */
export const LIMITS = { message: 1000, label: 24, buttonTitle: 20 };

const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(
  obj: unknown,
  prefix = "",
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  if (obj && typeof obj === "object" && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, obj);
  return out;
}

const placeholders = (s: unknown) =>
  typeof s === "string"
    ? [...s.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)]
        .map((m) => m[1])
        .sort()
        .join(",")
    : "";

/** Checks the words of every language against English: same keys, plural forms, placeholders, lengths. */
function checkLocales(sources: ContentSources): string[] {
  const problems: string[] = [];
  const en = flatten(sources.locales.en?.common);
  const base = (k: string) => k.replace(PLURAL, "");
  const enBase = new Map<string, string>();
  for (const [k, v] of en) enBase.set(base(k), placeholders(v));
  for (const [lng, r] of Object.entries(sources.locales)) {
    const file = `locales/${lng}/common.json`;
    const keys = flatten(r.common);
    const seen = new Set<string>();
    for (const [k, v] of keys) {
      const b = base(k);
      seen.add(b);
      if (!enBase.has(b)) problems.push(`${file}: ${k} is not in English (extra key)`);
      else if (!Array.isArray(v) && placeholders(v) !== enBase.get(b))
        problems.push(
          `${file}: ${k} has placeholders {{${placeholders(v)}}}, English has {{${enBase.get(b)}}}`,
        );
      if (typeof v === "string" && v.length > LIMITS.message)
        problems.push(`${file}: ${k} is over ${LIMITS.message} characters`);
      if (typeof v === "string" && v.trim() === "") problems.push(`${file}: ${k} is empty`);
    }
    for (const b of enBase.keys()) if (!seen.has(b)) problems.push(`${file}: ${b} is missing`);
    const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
    const plurals = new Set([...en.keys()].filter((k) => PLURAL.test(k)).map(base));
    for (const p of plurals)
      for (const cat of categories)
        if (cat !== "other" || !keys.has(p))
          if (!keys.has(`${p}_${cat}`) && (cat === "other" || !keys.has(`${p}_other`)))
            problems.push(`${file}: ${p}_${cat} is missing (plural form of ${lng})`);
  }
  return problems;
}

/** Renders what a parent sees and measures it, in every language. */
function checkRendered(content: Content): string[] {
  const problems: string[] = [];
  const { speech, catalog } = content;
  for (const lng of speech.locales) {
    const titles = new Map<string, string>();
    for (const a of catalog.activities) {
      const text = catalog.text(a.id, lng);
      const message = renderActivity({
        speech,
        locale: lng,
        activity: a,
        text,
        forAge: speech.t(lng, "activity.for_months", { count: 11 }),
        note: speech.t(lng, "activity.relaxed_setting", {
          setting: speech.t(lng, "activity.setting_outdoors"),
        }),
      });
      if (message.length > LIMITS.message)
        problems.push(
          `${a.id} (${lng}): the activity message is ${message.length} characters, over ${LIMITS.message}`,
        );
      const other = titles.get(text.title.toLowerCase());
      if (other) problems.push(`${a.id} (${lng}): title "${text.title}" is also ${other}'s`);
      titles.set(text.title.toLowerCase(), a.id);
    }
  }
  return problems;
}

/** Checks every flow's keys exist and every choice label fits, in every language. */
function checkFlowWords(content: Content, sources: ContentSources): string[] {
  const problems: string[] = [];
  for (const [lng, r] of Object.entries(sources.locales)) {
    const keys = flatten(r.common);
    const has = (k: string) =>
      keys.has(k) || [...keys.keys()].some((x) => x.replace(PLURAL, "") === k);
    for (const flow of content.flows.byId.values())
      for (const k of flowKeys(flow))
        if (!has(k)) problems.push(`flows/${flow.id}.yaml: key ${k} is missing in ${lng}`);
    for (const [k, v] of keys) {
      if (!/^(choice|interest)\.|^language\.name$/.test(k) || typeof v !== "string") continue;
      const chars = [...v].length;
      if (chars > LIMITS.label)
        problems.push(`locales/${lng}/common.json: ${k} "${v}" is over ${LIMITS.label} characters`);
      else if (chars > LIMITS.buttonTitle)
        problems.push(
          `locales/${lng}/common.json: ${k} "${v}" is over ${LIMITS.buttonTitle} characters (a WhatsApp button title)`,
        );
    }
  }
  return problems;
}

/**
 * Every content check of `npm run check`: flows, catalog, translations, words and lengths.
 * Returns the problems, each naming the file and what is wrong (empty when all is well).
 */
export function checkContent(sources: ContentSources, defaultLocale = "en"): string[] {
  const words = checkLocales(sources);
  let content: Content;
  try {
    content = buildContent(sources, defaultLocale);
  } catch (err) {
    return [...(err as Error).message.split("\n"), ...words];
  }
  return [...words, ...checkFlowWords(content, sources), ...checkRendered(content)];
}
