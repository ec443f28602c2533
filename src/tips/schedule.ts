/**
 * When a family's weekly tips fall due: local days and hour in the family's time zone,
 * never in quiet hours, daylight-saving changes kept in local time. Pure: no clock is read.
 */

import { isTimeZone, localTime, zonedInstant } from "../time/zone.ts";

export { isTimeZone, localTime, zonedInstant };

/** A family's weekly tips: which local weekdays (0 = Sunday) at which local time, where. */
export interface TipsPlan {
  /** 1–3 local weekdays, 0 = Sunday … 6 = Saturday, ascending. */
  days: number[];
  /** Local hour and minute; always outside quiet hours. */
  hour: number;
  minute: number;
  /** IANA time zone. */
  tz: string;
}

/** Nothing is sent from 21:00 to 08:00 local. */
export const QUIET_FROM = 21;
export const QUIET_UNTIL = 8;

/** The defaults: Monday, Wednesday, Friday (fewer tips drop from the end) at 18:00. */
export const DEFAULT_DAYS: Record<number, number[]> = { 1: [3], 2: [1, 4], 3: [1, 3, 5] };
export const DEFAULT_HOUR = 18;

/** Whether an instant falls in the family's quiet hours (21:00–08:00 local). */
export function isQuiet(at: Date, tz: string): boolean {
  const { hour } = localTime(at, tz);
  return hour >= QUIET_FROM || hour < QUIET_UNTIL;
}

/** The first moment after quiet hours, at or after `at` (itself when not quiet). */
export function afterQuiet(at: Date, tz: string): Date {
  if (!isQuiet(at, tz)) return at;
  const l = localTime(at, tz);
  const base = new Date(Date.UTC(l.year, l.month - 1, l.day));
  if (l.hour >= QUIET_FROM) base.setUTCDate(base.getUTCDate() + 1);
  return zonedInstant(tz, {
    year: base.getUTCFullYear(),
    month: base.getUTCMonth() + 1,
    day: base.getUTCDate(),
    hour: QUIET_UNTIL,
    minute: 0,
  });
}

/** A valid local send time: hour 8–20, minute 0–59. */
export function isAllowedTime(hour: number, minute: number): boolean {
  return (
    Number.isInteger(hour) &&
    Number.isInteger(minute) &&
    hour >= QUIET_UNTIL &&
    hour < QUIET_FROM &&
    minute >= 0 &&
    minute < 60
  );
}

/**
 * The next slot strictly after `after`: the first chosen weekday at the chosen local time.
 * @example nextSlot({ days: [1, 3, 5], hour: 18, minute: 0, tz: "Europe/Kyiv" }, new Date())
 */
export function nextSlot(plan: TipsPlan, after: Date): Date {
  const l = localTime(after, plan.tz);
  const day = new Date(Date.UTC(l.year, l.month - 1, l.day));
  for (let i = 0; i < 8; i++) {
    const weekday = (l.weekday + i) % 7;
    if (plan.days.includes(weekday)) {
      const at = zonedInstant(plan.tz, {
        year: day.getUTCFullYear(),
        month: day.getUTCMonth() + 1,
        day: day.getUTCDate(),
        hour: plan.hour,
        minute: plan.minute,
      });
      if (at.getTime() > after.getTime()) return at;
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  throw new Error(`no tip day in ${JSON.stringify(plan.days)}`);
}

/** Which of the week's tips a slot is (0 = first), by its local weekday among the chosen days. */
export function slotPart(plan: TipsPlan, slot: Date): number {
  const { weekday } = localTime(slot, plan.tz);
  // Weeks start on Monday: Sunday is the last day.
  const order = (d: number) => (d + 6) % 7;
  const sorted = [...plan.days].sort((a, b) => order(a) - order(b));
  return Math.max(0, sorted.indexOf(weekday));
}

/** The local week a slot is in ("2026-W49" style, Monday first), to tie a week's tips together. */
export function weekOf(slot: Date, tz: string): string {
  const l = localTime(slot, tz);
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day));
  d.setUTCDate(d.getUTCDate() - ((l.weekday + 6) % 7));
  return d.toISOString().slice(0, 10);
}
