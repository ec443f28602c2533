import { fromWallClock, wallClock } from "../time/zone.ts";
import type { NewOpportunity } from "./schema.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

/** One time an opportunity happens. */
export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

type Timed = Pick<NewOpportunity, "startsAt" | "endsAt" | "timezone" | "repeat">;

export { fromWallClock, wallClock };

/** The latest instant a weekly series may start an occurrence (an `until` date counts whole, local). */
function lastStart(o: Timed): number {
  const until = o.repeat?.until;
  if (until === undefined) return Date.parse(o.startsAt);
  if (until.length === 10) {
    const [y, m, d] = until.split("-").map(Number) as [number, number, number];
    return fromWallClock(Date.UTC(y, m - 1, d + 1), o.timezone) - 1;
  }
  return Date.parse(until);
}

/** The k-th weekly occurrence's start: the first start's wall-clock time, k weeks on. */
function weeklyStart(o: Timed, k: number): number {
  const start = Date.parse(o.startsAt);
  if (k === 0) return start;
  return fromWallClock(wallClock(start, o.timezone) + k * WEEK_MS, o.timezone);
}

/**
 * The occurrence that is on now or next: a one-off itself until it ends; a weekly opportunity its
 * first repeat, at the same local time in its `timezone` (across DST changes), that ends after
 * `now` and starts by `repeat.until`. Undefined once it is over.
 * @example nextOccurrence(storyTime, new Date())?.startsAt
 */
export function nextOccurrence(o: Timed, now: Date): Occurrence | undefined {
  const start = Date.parse(o.startsAt);
  const duration = Date.parse(o.endsAt) - start;
  const t = now.getTime();
  if (!o.repeat) {
    return start + duration > t
      ? { startsAt: new Date(start), endsAt: new Date(start + duration) }
      : undefined;
  }
  const last = lastStart(o);
  // Start a week early: DST shifts move occurrences by an hour or so either way.
  for (let k = Math.max(0, Math.floor((t - start - duration) / WEEK_MS) - 1); ; k++) {
    const s = weeklyStart(o, k);
    if (s > last) return undefined;
    if (s + duration > t) return { startsAt: new Date(s), endsAt: new Date(s + duration) };
  }
}

/**
 * When an opportunity stops being upcoming (ms): the end of its last occurrence.
 * @example expiresAt({ startsAt, endsAt, timezone: "Europe/London" }) === Date.parse(endsAt)
 */
export function expiresAt(o: Timed): number {
  const start = Date.parse(o.startsAt);
  const duration = Date.parse(o.endsAt) - start;
  if (!o.repeat) return start + duration;
  const last = lastStart(o);
  let k = Math.max(0, Math.floor((last - start) / WEEK_MS) + 1);
  while (k > 0 && weeklyStart(o, k) > last) k--;
  return weeklyStart(o, k) + duration;
}
