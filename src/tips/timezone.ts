import tzLookup from "@photostructure/tz-lookup";
import { getCountry } from "countries-and-timezones";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { FamilyId } from "../core/types.ts";
import { fold } from "../text/normalize.ts";
import { isTimeZone, offsetMinutes } from "../time/zone.ts";

/** Well-known cities to stand for a zone group (a country with several zones offers one per offset). */
const PREFERRED = new Set([
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "America/Toronto",
  "America/Vancouver",
  "America/Halifax",
  "America/St_Johns",
  "America/Winnipeg",
  "America/Edmonton",
  "America/Mexico_City",
  "America/Tijuana",
  "America/Cancun",
  "America/Sao_Paulo",
  "America/Manaus",
  "America/Noronha",
  "America/Rio_Branco",
  "Europe/Madrid",
  "Atlantic/Canary",
  "Europe/Lisbon",
  "Atlantic/Azores",
  "Europe/Kyiv",
  "Europe/Moscow",
  "Asia/Yekaterinburg",
  "Asia/Novosibirsk",
  "Asia/Vladivostok",
  "Australia/Sydney",
  "Australia/Brisbane",
  "Australia/Adelaide",
  "Australia/Perth",
  "Asia/Jakarta",
  "Asia/Makassar",
  "Asia/Jayapura",
  "Africa/Kinshasa",
  "Africa/Lubumbashi",
  "Asia/Almaty",
]);

/** The zone's name as a parent knows it: its city ("Los Angeles"). */
export function cityOf(tz: string): string {
  return (tz.split("/").pop() ?? tz).replaceAll("_", " ");
}

/** "UTC+5:30", "UTC−3:30": the zone's offset at an instant. */
export function offsetLabel(tz: string, at: Date): string {
  const minutes = offsetMinutes(tz, at);
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, "0")}` : ""}`;
}

/** The country a WhatsApp family's number belongs to ("ES"), when it can be told. */
function countryOf(familyId: FamilyId): string | undefined {
  if (!familyId.startsWith("whatsapp:")) return undefined;
  return parsePhoneNumberFromString(familyId.slice("whatsapp:".length))?.country;
}

/**
 * The time zones a family may be in, from its shared area (one zone) or its number's country
 * (one per distinct offset now). Empty when nothing tells.
 * @example zonesFor("whatsapp:+34600000000", undefined, now) // ["Atlantic/Canary", "Europe/Madrid"]
 */
export function zonesFor(
  familyId: FamilyId,
  area: { lat: number; lng: number } | undefined,
  now: Date,
): string[] {
  if (area) {
    const tz = tzLookup(area.lat, area.lng);
    if (isTimeZone(tz)) return [tz];
  }
  const country = countryOf(familyId);
  const zones = (country ? (getCountry(country)?.timezones ?? []) : []).filter(isTimeZone);
  const byOffset = new Map<string, string>();
  for (const tz of zones) {
    const offset = offsetLabel(tz, now);
    const held = byOffset.get(offset);
    if (!held || (PREFERRED.has(tz) && !PREFERRED.has(held))) byOffset.set(offset, tz);
  }
  return [...byOffset.values()].sort((a, b) => offsetMinutes(a, now) - offsetMinutes(b, now));
}

let cities: Map<string, string> | undefined;

/**
 * A zone from a typed city or zone name ("kyiv", "Los Angeles", "Europe/Madrid").
 * @example zoneFromText("los angeles") // "America/Los_Angeles"
 */
export function zoneFromText(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.includes("/") && isTimeZone(trimmed)) return trimmed;
  // "UTC+3", "GMT-5", "+2": a fixed offset (whole hours; no daylight saving).
  const offset = /^(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::00)?$/i.exec(trimmed);
  if (offset) {
    const hours = Number(offset[2]);
    if (hours === 0) return "UTC";
    // IANA's Etc zones have the sign reversed: UTC+3 is Etc/GMT-3.
    const zone = `Etc/GMT${offset[1] === "+" ? "-" : "+"}${hours}`;
    return isTimeZone(zone) ? zone : undefined;
  }
  if (!cities) {
    cities = new Map();
    for (const tz of Intl.supportedValuesOf("timeZone")) cities.set(fold(cityOf(tz)), tz);
    cities.set("kiev", "Europe/Kyiv");
    cities.set("kyiv", "Europe/Kyiv");
  }
  return cities.get(fold(trimmed));
}
