/**
 * Wall-clock time in IANA time zones, with Intl alone (no date library): what the clock shows in
 * a zone at an instant, and the instant a wall-clock time happens there, across DST changes.
 * Shared by weekly tips, opportunities and the Slack posting form.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether a time zone name is one this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall clock in a zone at an instant, as the milliseconds of the same date and time in UTC
 * (so wall-clock arithmetic is plain addition).
 * @example wallClock(Date.parse("2030-06-01T09:00:00Z"), "Europe/London") === Date.parse("2030-06-01T10:00:00Z")
 */
export function wallClock(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms)))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  const seconds = Math.floor(ms / 1000) * 1000;
  return (
    Date.UTC(
      p.year ?? 1970,
      (p.month ?? 1) - 1,
      p.day ?? 1,
      (p.hour ?? 0) % 24,
      p.minute ?? 0,
      p.second ?? 0,
    ) +
    (ms - seconds)
  );
}

/**
 * The instant a wall-clock time (see {@link wallClock}) happens in a zone. A time skipped by a
 * DST change moves forward by the change; a time that happens twice resolves to the later one.
 */
export function fromWallClock(wall: number, timeZone: string): number {
  const first = wall - (wallClock(wall, timeZone) - wall);
  const offset = wallClock(first, timeZone) - first;
  return wall - offset;
}

/** The zone's offset from UTC at an instant, in minutes (UTC+5:30 is 330). */
export function offsetMinutes(timeZone: string, at: Date): number {
  return Math.round((wallClock(at.getTime(), timeZone) - at.getTime()) / 60_000);
}

/** The wall clock in a zone at an instant, by field (weekday 0 = Sunday). */
export function localTime(
  at: Date,
  tz: string,
): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  const w = new Date(wallClock(at.getTime(), tz));
  return {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth() + 1,
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
    weekday: w.getUTCDay(),
  };
}

/** The instant a local date and time happens in a zone (a skipped time moves forward). */
export function zonedInstant(
  tz: string,
  local: { year: number; month: number; day: number; hour: number; minute: number },
): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  return new Date(fromWallClock(wall, tz));
}
