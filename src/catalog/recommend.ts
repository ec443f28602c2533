import { type Energy, MODES, type Mode, type Setting } from "../core/types.ts";
import type { Activity } from "./schema.ts";

export type Season = "spring" | "summer" | "autumn" | "winter";
const SEASONS: Season[] = ["spring", "summer", "autumn", "winter"];
const SETTING_CODE: Record<Setting, number> = { home: 0, outdoors: 1, out: 2 };

/** What a suggestion must fit, and what is known to rank by. */
export interface RecommendInput {
  activities: readonly Activity[];
  /** The child's age; unknown = any age. Never relaxed. */
  ageMonths?: number;
  /** Several children at once: an activity must suit every age. Never relaxed. */
  togetherAges?: readonly number[];
  /** Time there is, at most. */
  minutes?: number;
  setting?: Setting;
  energy?: Energy;
  /** Rain: no dry-weather activities (and indoor ones rank higher). Never relaxed. */
  wet?: boolean;
  /** Dark already: nothing that needs daylight. Never relaxed. */
  dark?: boolean;
  /** The family's season, when their area is known: nothing out of season. Never relaxed. */
  season?: Season;
  interests: readonly Mode[];
  feedback: Readonly<Record<string, 1 | -1>>;
  /** From "too hard" (< 0) to "too easy" (> 0), -1..1: ranks toward the easier or harder end. */
  stretch?: number;
  /** Activity ids shown, newest last. */
  recent: readonly string[];
  /** How many of the newest `recent` must not come again (default 40). */
  noRepeat?: number;
  /** Same seed and input, same answer. */
  seed: number;
}

export type Relaxed = "together" | "energy" | "minutes" | "setting" | "recent";

export interface Recommendation {
  activity: Activity;
  /** Wishes that had to be dropped to find anything, in the order dropped. */
  relaxed: Relaxed[];
}

export const DEFAULT_NO_REPEAT = 40;
/** How many recent suggestions the learning-mode variety looks back over. */
const VARIETY_WINDOW = 9;

/** A small, fast, seedable PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit FNV-1a hash, to turn ids into seeds. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The catalog in flat typed arrays, with an index by age: built once per catalog. */
interface Prepared {
  index: Map<string, number>;
  modes: Uint16Array;
  lo: Uint8Array;
  hi: Uint8Array;
  minutes: Uint16Array;
  setting: Uint8Array;
  energy: Uint8Array;
  dry: Uint8Array;
  daylight: Uint8Array;
  seasons: Uint8Array;
  /** Month of age -> indices of the activities for that age. */
  byAge: Uint32Array[];
}
const prepared = new WeakMap<readonly Activity[], Prepared>();

function prepare(activities: readonly Activity[]): Prepared {
  let p = prepared.get(activities);
  if (p) return p;
  const n = activities.length;
  p = {
    index: new Map(activities.map((a, i) => [a.id, i])),
    modes: new Uint16Array(n),
    lo: new Uint8Array(n),
    hi: new Uint8Array(n),
    minutes: new Uint16Array(n),
    setting: new Uint8Array(n),
    energy: new Uint8Array(n),
    dry: new Uint8Array(n),
    daylight: new Uint8Array(n),
    seasons: new Uint8Array(n),
    byAge: [],
  };
  const lists: number[][] = Array.from({ length: 156 }, () => []);
  activities.forEach((a, i) => {
    const q = p as Prepared;
    for (const m of a.modes) q.modes[i] = (q.modes[i] as number) | (1 << MODES.indexOf(m));
    q.lo[i] = a.ages[0];
    q.hi[i] = a.ages[1];
    q.minutes[i] = a.minutes;
    q.setting[i] = SETTING_CODE[a.setting];
    q.energy[i] = a.energy === "calm" ? 0 : 1;
    q.dry[i] = a.weather === "dry" ? 1 : 0;
    q.daylight[i] = a.daylight ? 1 : 0;
    q.seasons[i] = (a.seasons ?? []).reduce((bits, s) => bits | (1 << SEASONS.indexOf(s)), 0);
    for (let m = a.ages[0]; m <= Math.min(155, a.ages[1]); m++) lists[m]?.push(i);
  });
  p.byAge = lists.map((l) => Uint32Array.from(l));
  prepared.set(activities, p);
  return p;
}

/** Per-mode weights: interests up, liked modes up, disliked down, lately seen down, unseen up. */
function modeWeights(input: RecommendInput, p: Prepared): Float64Array {
  const n = MODES.length;
  const interest = new Float64Array(n);
  for (const m of input.interests) interest[MODES.indexOf(m)] = 1.2;
  // Per mode: the mean vote, pulled toward 0 when there are few (so one 👎 does not bury a mode).
  const votes = new Float64Array(n);
  const voted = new Float64Array(n);
  for (const id in input.feedback) {
    const i = p.index.get(id);
    if (i === undefined) continue;
    const vote = input.feedback[id] ?? 0;
    const bits = p.modes[i] ?? 0;
    for (let b = 0; b < n; b++)
      if (bits & (1 << b)) {
        votes[b] = (votes[b] ?? 0) + vote;
        voted[b] = (voted[b] ?? 0) + 1;
      }
  }
  const liked = new Float64Array(n);
  for (let b = 0; b < n; b++) liked[b] = (2.5 * (votes[b] ?? 0)) / ((voted[b] ?? 0) + 2);
  const recent = input.recent.slice(-VARIETY_WINDOW);
  const seen = new Float64Array(n);
  recent.forEach((id, k) => {
    const i = p.index.get(id);
    if (i === undefined) return;
    const weight = 0.4 + (0.6 * (k + 1)) / recent.length;
    const bits = p.modes[i] ?? 0;
    for (let b = 0; b < n; b++) if (bits & (1 << b)) seen[b] = (seen[b] ?? 0) + weight;
  });
  const w = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    const s = seen[b] ?? 0;
    w[b] =
      (interest[b] ?? 0) + (liked[b] ?? 0) - 1.1 * s + (recent.length >= 3 && s === 0 ? 0.9 : 0);
  }
  return w;
}

/** The score of each learning-mode mask (11 bits), computed on first use in a call. */
function maskScorer(weights: Float64Array): (mask: number) => number {
  const table = new Float64Array(1 << MODES.length).fill(Number.NaN);
  return (mask) => {
    let v = table[mask] ?? Number.NaN;
    if (Number.isNaN(v)) {
      v = 0;
      for (let b = 0; b < MODES.length; b++) if (mask & (1 << b)) v += weights[b] ?? 0;
      table[mask] = v;
    }
    return v;
  };
}

const RELAX_ORDER: Relaxed[] = ["together", "energy", "recent", "minutes", "setting"];

/**
 * Picks one activity. Hard facts filter: the ages (always), rain, dark and season (always),
 * then time, setting, energy and the no-repeat window — when nothing fits, energy, the window,
 * time and setting are dropped in that order and reported. Interests and feedback rank,
 * recently seen learning modes sink and unseen ones rise, "too hard / too easy" shifts toward
 * the easier or harder end of the age range, and the seed breaks ties.
 * @example recommend({ activities, ageMonths: 48, minutes: 10, interests: [], feedback: {}, recent: [], seed: 1 })
 */
export function recommend(input: RecommendInput): Recommendation | undefined {
  const p = prepare(input.activities);
  const ages =
    input.togetherAges && input.togetherAges.length > 0
      ? input.togetherAges
      : input.ageMonths !== undefined
        ? [input.ageMonths]
        : [];
  const youngest = ages.length ? Math.min(...ages) : undefined;
  const oldest = ages.length ? Math.max(...ages) : undefined;
  const pool = youngest !== undefined ? p.byAge[Math.min(155, youngest)] : undefined;
  const blocked = new Set<number>();
  for (const id of input.recent.slice(-(input.noRepeat ?? DEFAULT_NO_REPEAT))) {
    const i = p.index.get(id);
    if (i !== undefined) blocked.add(i);
  }
  const disliked = new Set<number>();
  for (const id in input.feedback)
    if (input.feedback[id] === -1) disliked.add(p.index.get(id) ?? -1);
  const recentOrder = new Map<number, number>();
  input.recent.forEach((id, k) => {
    const i = p.index.get(id);
    if (i !== undefined) recentOrder.set(i, k);
  });
  const maskScore = maskScorer(modeWeights(input, p));
  const seasonBit = input.season ? 1 << SEASONS.indexOf(input.season) : 0;
  const setting = input.setting !== undefined ? SETTING_CODE[input.setting] : -1;
  const energy = input.energy === undefined ? -1 : input.energy === "calm" ? 0 : 1;
  const target = youngest !== undefined ? youngest + (input.stretch ?? 0) * 12 : undefined;

  const wished = (r: Relaxed): boolean => {
    switch (r) {
      case "together":
        return ages.length > 1;
      case "recent":
        return blocked.size > 0;
      case "energy":
        return energy >= 0;
      case "minutes":
        return input.minutes !== undefined;
      case "setting":
        return setting >= 0;
    }
  };
  const relaxed: Relaxed[] = [];
  const drop = { together: false, energy: false, recent: false, minutes: false, setting: false };
  for (let attempt = 0; attempt <= RELAX_ORDER.length; attempt++) {
    const rand = seededRandom(input.seed);
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    const count = pool ? pool.length : input.activities.length;
    for (let k = 0; k < count; k++) {
      const i = pool ? (pool[k] as number) : k;
      if (!drop.together && oldest !== undefined && (p.hi[i] as number) < oldest) continue;
      if (input.wet && p.dry[i]) continue;
      if (input.dark && p.daylight[i]) continue;
      if (seasonBit && p.seasons[i] && !((p.seasons[i] as number) & seasonBit)) continue;
      if (!drop.minutes && input.minutes !== undefined && (p.minutes[i] as number) > input.minutes)
        continue;
      if (!drop.setting && setting >= 0 && p.setting[i] !== setting) continue;
      if (!drop.energy && energy >= 0 && p.energy[i] !== energy) continue;
      if (!drop.recent && blocked.has(i)) continue;
      let s = rand() * 1.2;
      s += maskScore(p.modes[i] as number);
      if (disliked.has(i)) s -= 6;
      if (input.wet && p.setting[i] === 0) s += 0.8;
      if (target !== undefined) {
        const lo = p.lo[i] as number;
        const hi = p.hi[i] as number;
        s -= Math.abs(target - (lo + hi) / 2) / Math.max(6, hi - lo);
      }
      if (drop.minutes && input.minutes !== undefined) s -= (p.minutes[i] as number) / 5;
      if (drop.recent)
        s -= (8 * ((recentOrder.get(i) ?? -1) + 1)) / Math.max(1, input.recent.length);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    if (best >= 0) return { activity: input.activities[best] as Activity, relaxed };
    const next = RELAX_ORDER.find((r) => !drop[r] && wished(r));
    if (!next) return undefined;
    drop[next] = true;
    relaxed.push(next);
  }
  return undefined;
}
