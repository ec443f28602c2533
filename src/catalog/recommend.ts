import type { Energy, Mode, Setting } from "../core/types.ts";
import type { Activity } from "./schema.ts";

/** What a suggestion must fit, and what is known to rank by. */
export interface RecommendInput {
  activities: readonly Activity[];
  /** The same activities by id (pass the catalog's, to save building it per call). */
  byId?: ReadonlyMap<string, Activity>;
  /** The child's age; unknown = any age. Never relaxed. */
  ageMonths?: number;
  /** Time there is, at most. */
  minutes?: number;
  setting?: Setting;
  energy?: Energy;
  interests: readonly Mode[];
  feedback: Readonly<Record<string, 1 | -1>>;
  /** Activity ids shown, newest last. */
  recent: readonly string[];
  /** How many of the newest `recent` must not come again. */
  noRepeat?: number;
  /** Same seed and input, same answer. */
  seed: number;
}

export type Relaxed = "energy" | "minutes" | "setting" | "recent";

export interface Recommendation {
  activity: Activity;
  /** Wishes that had to be dropped to find anything, in the order dropped. */
  relaxed: Relaxed[];
}

export const DEFAULT_NO_REPEAT = 20;

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

function fits(
  a: Activity,
  input: RecommendInput,
  drop: ReadonlySet<Relaxed>,
  blocked: ReadonlySet<string>,
): boolean {
  if (input.ageMonths !== undefined && (input.ageMonths < a.ages[0] || input.ageMonths > a.ages[1]))
    return false;
  if (!drop.has("minutes") && input.minutes !== undefined && a.minutes > input.minutes)
    return false;
  if (!drop.has("setting") && input.setting !== undefined && a.setting !== input.setting)
    return false;
  if (!drop.has("energy") && input.energy !== undefined && a.energy !== input.energy) return false;
  if (!drop.has("recent") && blocked.has(a.id)) return false;
  return true;
}

/** Learning-mode weights from what the family liked and did not. */
function feedbackWeights(
  input: RecommendInput,
  byId: ReadonlyMap<string, Activity>,
): Map<Mode, number> {
  const w = new Map<Mode, number>();
  for (const [id, vote] of Object.entries(input.feedback)) {
    const a = byId.get(id);
    if (!a) continue;
    for (const m of a.modes) w.set(m, (w.get(m) ?? 0) + 0.8 * vote);
  }
  for (const [m, v] of w) w.set(m, Math.max(-2, Math.min(2, v)));
  return w;
}

/** Modes seen lately, weighted by how recent: to vary what comes next. */
function recentModes(
  input: RecommendInput,
  byId: ReadonlyMap<string, Activity>,
): Map<Mode, number> {
  const w = new Map<Mode, number>();
  const last = input.recent.slice(-6);
  last.forEach((id, i) => {
    const a = byId.get(id);
    if (!a) return;
    const weight = (i + 1) / last.length;
    for (const m of a.modes) w.set(m, (w.get(m) ?? 0) + weight);
  });
  return w;
}

function score(
  a: Activity,
  input: RecommendInput,
  liked: Map<Mode, number>,
  seen: Map<Mode, number>,
  interests: ReadonlySet<Mode>,
): number {
  let s = 0;
  for (const m of a.modes) {
    if (interests.has(m)) s += 1.5;
    s += liked.get(m) ?? 0;
    s -= 0.8 * (seen.get(m) ?? 0);
  }
  const vote = input.feedback[a.id];
  if (vote === -1) s -= 6;
  if (input.ageMonths !== undefined) {
    const span = Math.max(6, a.ages[1] - a.ages[0]);
    const centre = (a.ages[0] + a.ages[1]) / 2;
    s -= Math.abs(input.ageMonths - centre) / span;
  }
  return s;
}

const RELAX_ORDER: Relaxed[] = ["energy", "recent", "minutes", "setting"];

/**
 * Picks one activity: hard facts filter (age always; time, setting, energy and
 * the no-repeat window unless nothing fits: then energy, the no-repeat window, time and setting are
 * dropped in that order and reported),
 * interests and feedback rank, recent learning modes are varied, the seed breaks ties.
 * @example recommend({ activities, ageMonths: 48, minutes: 10, interests: [], feedback: {}, recent: [], seed: 1 })
 */
export function recommend(input: RecommendInput): Recommendation | undefined {
  const byId = input.byId ?? new Map(input.activities.map((a) => [a.id, a]));
  const window = input.noRepeat ?? DEFAULT_NO_REPEAT;
  const blocked = new Set(input.recent.slice(-window));
  const drop = new Set<Relaxed>();
  const relaxed: Relaxed[] = [];
  let candidates = input.activities.filter((a) => fits(a, input, drop, blocked));
  for (const r of RELAX_ORDER) {
    if (candidates.length > 0) break;
    const wished =
      r === "recent"
        ? blocked.size > 0
        : r === "energy"
          ? input.energy
          : r === "minutes"
            ? input.minutes
            : input.setting;
    if (wished === undefined || wished === false) continue;
    drop.add(r);
    relaxed.push(r);
    candidates = input.activities.filter((a) => fits(a, input, drop, blocked));
  }
  if (candidates.length === 0) return undefined;
  if (drop.has("minutes")) {
    const shortest = Math.min(...candidates.map((a) => a.minutes));
    candidates = candidates.filter((a) => a.minutes === shortest);
  }
  if (drop.has("recent")) {
    const order = new Map(input.recent.map((id, i) => [id, i]));
    const oldest = Math.min(...candidates.map((a) => order.get(a.id) ?? -1));
    candidates = candidates.filter((a) => (order.get(a.id) ?? -1) === oldest);
  }
  const liked = feedbackWeights(input, byId);
  const seen = recentModes(input, byId);
  const interests = new Set(input.interests);
  const rand = seededRandom(input.seed);
  let best: Activity | undefined;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const a of candidates) {
    const s = score(a, input, liked, seen, interests) + rand() * 1.2;
    if (s > bestScore) {
      bestScore = s;
      best = a;
    }
  }
  return best ? { activity: best, relaxed } : undefined;
}
