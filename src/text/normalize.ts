/** Text helpers shared by every parser: one way to fold what people type. */

const DIGIT_BLOCKS = [0x0660, 0x06f0, 0x0966, 0xff10]; // Arabic-Indic, Eastern Arabic-Indic, Devanagari, full-width

/** Maps Arabic-Indic, Devanagari and full-width digits to ASCII digits. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff10-\uff19]/g, (ch) => {
    const code = ch.charCodeAt(0);
    const base = DIGIT_BLOCKS.find((b) => code >= b && code <= b + 9) ?? code;
    return String(code - base);
  });
}

/**
 * Folds text for matching: lower case, ASCII digits, Latin accents removed, punctuation to spaces,
 * white space collapsed. Scripts other than Latin keep their marks.
 * @example fold("¡Tiene 3 AÑOS!") // "tiene 3 anos"
 */
export function fold(text: string): string {
  return (
    asciiDigits(text)
      .normalize("NFC")
      .toLowerCase()
      .replace(/(\d)\s*(?:1\/2|1⁄2)/g, "$1½")
      .replace(/½/g, " ½ ")
      .normalize("NFD")
      .replace(/([a-z])[\u0300-\u036f]+/g, "$1")
      .normalize("NFC")
      // Arabic letters people type interchangeably: alef forms, taa marbuta / haa, alef maqsura / yaa.
      .replace(/[أإآ]/g, "ا")
      .replace(/ة/g, "ه")
      .replace(/ى/g, "ي")
      .replace(/(\d),(\d)/g, "$1.$2")
      .replace(/[^\p{L}\p{N}\p{M}½.?/'’👍👎\s]/gu, " ")
      .replace(/’/g, "'")
      .replace(/(^|\s)[.']+|[.']+(?=\s|$)/g, "$1")
      .replace(/\s+/g, " ")
      .trim()
  );
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/**
 * A regex source matching any of the phrases as whole words (longest first).
 * @example new RegExp(wordsPattern(["min", "minutes"]), "u")
 */
export function wordsPattern(phrases: readonly string[]): string {
  const sorted = [...new Set(phrases.map((p) => fold(p)).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  if (sorted.length === 0) return "(?!)";
  // Scripts written without spaces (Chinese) match anywhere; the others as whole words.
  const open = sorted.filter((p) => UNSPACED.test(p)).map(escapeRegex);
  const spaced = sorted.filter((p) => !UNSPACED.test(p)).map(escapeRegex);
  const parts: string[] = [];
  // An apostrophe before я, ю, є, ї is inside a Ukrainian word: "сім" is not in "сім'я".
  if (spaced.length)
    parts.push(`(?<![\\p{L}\\p{N}])(?:${spaced.join("|")})(?![\\p{L}\\p{N}]|'[яюєї])`);
  if (open.length) parts.push(`(?:${open.join("|")})`);
  return parts.length === 1 ? (parts[0] as string) : `(?:${parts.join("|")})`;
}

/** Han characters: words are not separated by spaces. */
export const UNSPACED = /\p{Script=Han}/u;

/** True when `text` (folded) contains any phrase as whole words. */
export function hasAny(text: string, phrases: readonly string[]): boolean {
  return new RegExp(wordsPattern(phrases), "u").test(text);
}

/** True when the text has no letter or digit at all (emoji only, punctuation, blank). */
export function isWordless(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}
