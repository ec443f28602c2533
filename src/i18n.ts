import i18next, { type i18n } from "i18next";
import { SUPPORTED_LOCALES } from "./config.ts";
import type { Speech } from "./flows/speech.ts";
import { createLanguageDetector } from "./text/detect-language.ts";
import { fold } from "./text/normalize.ts";
import {
  compileLexicon,
  type Lexicon,
  type Vocabulary,
  vocabularySchema,
} from "./text/vocabulary.ts";

/** The language files of one locale: `common.json` and `understand.json`. */
export interface LocaleResources {
  common: Record<string, unknown>;
  understand: unknown;
}

const KEYWORDS = [
  "start",
  "idea",
  "nearby",
  "tips",
  "tips_off",
  "settings",
  "language",
  "help",
  "stop",
  "delete",
];

/**
 * Sets up i18next with every language (synchronously: resources are given, nothing is fetched)
 * and builds the engine's Speech from it.
 * @example createSpeech({ en: { common, understand } }, "en").t("es", "help.text")
 */
export function createSpeech(
  resources: Readonly<Record<string, LocaleResources>>,
  defaultLocale: string,
): Speech {
  const order = (l: string) => {
    const i = (SUPPORTED_LOCALES as readonly string[]).indexOf(l);
    return i < 0 ? SUPPORTED_LOCALES.length : i;
  };
  const locales = [
    defaultLocale,
    ...Object.keys(resources)
      .filter((l) => l !== defaultLocale)
      .sort((a, b) => order(a) - order(b) || a.localeCompare(b)),
  ];
  const vocab = new Map<string, Vocabulary>();
  for (const [lng, r] of Object.entries(resources)) {
    const parsed = vocabularySchema.safeParse(r.understand);
    if (!parsed.success)
      throw new Error(
        `locales/${lng}/understand.json: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    vocab.set(lng, parsed.data);
  }
  const instance: i18n = i18next.createInstance();
  instance.init({
    resources: Object.fromEntries(
      Object.entries(resources).map(([lng, r]) => [lng, { common: r.common }]),
    ),
    lng: defaultLocale,
    fallbackLng: "en",
    ns: ["common"],
    defaultNS: "common",
    initAsync: false,
    interpolation: { escapeValue: false },
    returnEmptyString: false,
  });
  const fixed = new Map(locales.map((l) => [l, instance.getFixedT(l, "common")]));
  const lexicons = new Map<string, Lexicon>();
  const lexicon = (locale: string | undefined): Lexicon => {
    const key = locale && vocab.has(locale) ? locale : "*";
    let lex = lexicons.get(key);
    if (!lex) {
      const chosen =
        key === "*"
          ? [...vocab.values()]
          : [vocab.get(key), key === "en" ? undefined : vocab.get("en")];
      lex = compileLexicon(chosen.filter((v): v is Vocabulary => v !== undefined));
      lexicons.set(key, lex);
    }
    return lex;
  };
  const lists = new Map<string, readonly string[]>();
  const list = (locale: string, key: string): readonly string[] => {
    const cacheKey = `${locale}\u0000${key}`;
    let words = lists.get(cacheKey);
    if (!words) {
      const value = fixed.get(locale)?.(key, { returnObjects: true }) as unknown;
      words = Array.isArray(value) ? (value as string[]) : [];
      lists.set(cacheKey, words);
    }
    return words;
  };
  const keywords = new Map<string, string>();
  for (const lng of locales)
    for (const k of KEYWORDS)
      for (const w of list(lng, `keywords.${k}`))
        if (!keywords.has(fold(w))) keywords.set(fold(w), k);
  /**
   * i18next's t, remembered: a message depends only on its language, key, the placeholders it
   * uses and the count, so those make the cache key (vars it does not use are left out).
   */
  const needs = new Map<string, readonly string[] | null>();
  const messages = new Map<string, string>();
  const placeholdersOf = (locale: string, key: string): readonly string[] | null => {
    const id = `${locale}\u0000${key}`;
    let names = needs.get(id);
    if (names === undefined) {
      const raw = instance.getResource(locale, "common", key) as unknown;
      names =
        typeof raw === "string"
          ? [...raw.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] as string)
          : null;
      needs.set(id, names);
    }
    return names;
  };
  const t = (locale: string, key: string, vars?: Record<string, string | number>): string => {
    const translate = fixed.get(locale) ?? instance.t.bind(instance);
    const names = placeholdersOf(locale, key);
    if (names === null) return translate(key, vars ?? {}) as string;
    const used: Record<string, string | number> = {};
    let cacheKey = `${locale}\u0000${key}`;
    for (const n of names) {
      const v = vars?.[n];
      if (v !== undefined) used[n] = v;
      cacheKey += `\u0000${v ?? ""}`;
    }
    let message = messages.get(cacheKey);
    if (message === undefined) {
      message = translate(key, used) as string;
      if (messages.size > 20_000) messages.clear();
      messages.set(cacheKey, message);
    }
    return message;
  };
  const detect = createLanguageDetector(
    Object.fromEntries(
      [...vocab].map(([lng, v]) => [lng, [...v.common_words, ...list(lng, "keywords.start")]]),
    ),
  );
  return {
    locales,
    defaultLocale,
    detect,
    t,
    list,
    lexicon,
    keyword(folded) {
      const command = /^\/([a-z]+)(?:@\w+)?(?:\s.*)?$/.exec(folded);
      if (command)
        return KEYWORDS.includes(command[1] as string)
          ? command[1]
          : keywords.get(command[1] as string);
      return keywords.get(folded);
    },
  };
}
