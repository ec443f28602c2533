import type { Lexicon } from "../text/vocabulary.ts";

/** What the engine needs of languages: words by key, lists of words, and understanding. */
export interface Speech {
  /** Supported languages, the fallback first. */
  locales: readonly string[];
  defaultLocale: string;
  /** A message in a language (i18next: plurals with `count`, `{{placeholders}}`). */
  t(locale: string, key: string, vars?: Record<string, string | number>): string;
  /** A list of words in a language, e.g. `answers.yes`. Empty when missing. */
  list(locale: string, key: string): readonly string[];
  /** What can be understood from text in a language (with English); all languages when unknown. */
  lexicon(locale: string | undefined): Lexicon;
  /** The keyword (start, idea, …) a whole message is, in any language. */
  keyword(folded: string): string | undefined;
  /** The supported language a message is written in, when clear. */
  detect(text: string): string | undefined;
}
