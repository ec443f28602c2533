import { parsePhoneNumberFromString } from "libphonenumber-js";

/** Countries where Spanish is the main language. */
const SPANISH = new Set(
  "MX ES AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY PR GQ".split(" "),
);

/** Countries (and territories) where English is the main language of most people. */
const ENGLISH = new Set(
  "US GB IE AU NZ CA ZA NG KE GH JM TT BS BB BZ GY UG ZM ZW BW LR SL GM MW SG PH MT GG JE IM AG DM GD KN LC VC AI BM KY VG VI GU AS MP TC FK GI".split(
    " ",
  ),
);

/**
 * The country of a WhatsApp number (`whatsapp:+52155…` → "MX"), or undefined when unknown.
 * A number in no known range falls back to the main country of its calling code (+44 → GB).
 */
export function countryOf(address: string): string | undefined {
  const number = address.replace(/^whatsapp:/, "");
  const parsed = parsePhoneNumberFromString(number);
  if (!parsed) return undefined;
  if (parsed.country) return parsed.country;
  return parsed.getPossibleCountries()[0];
}

/**
 * A language hint from the number's country: "es" for Spanish-speaking countries, "en" for
 * English-speaking ones, undefined elsewhere. The core prefers the language of the message itself.
 * @example localeHintFor("whatsapp:+5215512345678") // "es"
 */
export function localeHintFor(address: string): "es" | "en" | undefined {
  const country = countryOf(address);
  if (!country) return undefined;
  if (SPANISH.has(country)) return "es";
  if (ENGLISH.has(country)) return "en";
  return undefined;
}
