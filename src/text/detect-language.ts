import { franc } from "franc-min";
import { fold } from "./normalize.ts";

/** ISO 639-3 (franc) to Sprout's locale codes. */
const FROM_ISO3: Record<string, string> = {
  eng: "en",
  spa: "es",
  fra: "fr",
  por: "pt",
  arb: "ar",
  cmn: "zh",
  hin: "hi",
  swh: "sw",
  ukr: "uk",
  vie: "vi",
};

/**
 * Builds a detector for the language of a message, among the supported ones.
 * Everyday words decide short messages ("hola", "for my son"); franc decides longer ones
 * when the words do not; undefined when unsure.
 * @example createLanguageDetector({ en: ["the"], es: ["para"] })("idea para mi hija") // "es"
 */
export function createLanguageDetector(commonWords: Readonly<Record<string, readonly string[]>>) {
  const sets = Object.entries(commonWords).map(
    ([lng, words]) => [lng, new Set(words.map(fold))] as const,
  );
  const supported = new Set(Object.keys(commonWords));
  /** Scripts that name one of Sprout's languages by themselves. */
  const scripts: Array<[RegExp, string]> = [
    [/\p{Script=Han}/u, "zh"],
    [/\p{Script=Arabic}/u, "ar"],
    [/\p{Script=Devanagari}/u, "hi"],
    [/\p{Script=Cyrillic}/u, "uk"],
    [/[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu, "vi"],
  ];
  return (text: string): string | undefined => {
    for (const [script, lng] of scripts) if (supported.has(lng) && script.test(text)) return lng;
    const tokens = fold(text.slice(0, 500)).split(" ").filter(Boolean);
    const scores = sets
      .map(([lng, set]) => [lng, tokens.filter((t) => set.has(t)).length] as const)
      .sort((a, b) => b[1] - a[1]);
    const [first, second] = scores;
    if (first && first[1] > 0 && (!second || first[1] >= second[1] * 2)) return first[0];
    if (tokens.join(" ").length < 20) return undefined;
    const lng = FROM_ISO3[franc(text, { minLength: 20 })];
    return lng && supported.has(lng) ? lng : undefined;
  };
}
