import type { FamilyId, FamilyState } from "../core/types.ts";
import { createMemoryOpportunityStore } from "../opportunities/memory.ts";
import type { BroadcastRecord, Store } from "./store.ts";

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * The reference store: everything in this process, gone on restart.
 * Values are kept as JSON so callers never share objects with the store.
 * @example const store = createMemoryStore({ now: () => fixedClock })
 */
export function createMemoryStore(opts: { now?: () => number } = {}): Store & { keys(): string[] } {
  const now = opts.now ?? Date.now;
  const data = new Map<string, Entry>();
  const get = (key: string) => {
    const e = data.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= now()) {
      data.delete(key);
      return undefined;
    }
    return e.value;
  };
  const set = (key: string, value: string, ttlSeconds?: number) =>
    data.set(key, {
      value,
      expiresAt: ttlSeconds ? now() + ttlSeconds * 1000 : Number.POSITIVE_INFINITY,
    });
  const profileKey = (id: string) => `family:${id}:profile`;
  const sessionKey = (id: string) => `family:${id}:session`;
  const due = new Map<FamilyId, number>();
  const broadcasts = new Map<string, { record: string; counts: Record<string, number> }>();
  const reminders = new Map<string, { familyId: FamilyId; opportunityId: string; at: number }>();
  const opportunities = createMemoryOpportunityStore({ now });
  return {
    opportunities,
    async loadFamily(id: FamilyId) {
      const profile = get(profileKey(id));
      if (profile === undefined) return null;
      const session = get(sessionKey(id));
      return {
        profile: JSON.parse(profile),
        session: session ? JSON.parse(session) : null,
      } as FamilyState;
    },
    async saveFamily(id, state, { sessionTtlSeconds }) {
      set(profileKey(id), JSON.stringify(state.profile));
      if (state.session) set(sessionKey(id), JSON.stringify(state.session), sessionTtlSeconds);
      else data.delete(sessionKey(id));
    },
    async deleteFamily(id) {
      data.delete(profileKey(id));
      data.delete(sessionKey(id));
      due.delete(id);
      for (const [key, r] of reminders) if (r.familyId === id) reminders.delete(key);
      await opportunities.setArea(id, null);
    },
    async setTipDue(id, dueMs) {
      if (dueMs === null) due.delete(id);
      else due.set(id, dueMs);
    },
    async dueTips(atMs, limit) {
      return [...due]
        .filter(([, d]) => d <= atMs)
        .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, limit)
        .map(([id, d]) => ({ id, due: d }));
    },
    async moveTipDue(id, fromMs, toMs) {
      if (due.get(id) !== fromMs) return false;
      due.set(id, toMs);
      return true;
    },
    async tipsScheduled() {
      return due.size;
    },
    async saveBroadcast(b: BroadcastRecord) {
      const held = broadcasts.get(b.id);
      broadcasts.set(b.id, { record: JSON.stringify(b), counts: held?.counts ?? {} });
    },
    async loadBroadcast(id) {
      const b = broadcasts.get(id);
      return b ? { record: JSON.parse(b.record), counts: { ...b.counts } } : null;
    },
    async countBroadcast(id, add) {
      const b = broadcasts.get(id) ?? { record: "{}", counts: {} };
      for (const [k, n] of Object.entries(add)) b.counts[k] = (b.counts[k] ?? 0) + n;
      broadcasts.set(id, b);
    },
    async setReminder(familyId, opportunityId, atMs) {
      const key = `${familyId}\n${opportunityId}`;
      if (atMs === null) reminders.delete(key);
      else reminders.set(key, { familyId, opportunityId, at: atMs });
    },
    async takeDueReminders(atMs, limit) {
      const taken = [...reminders]
        .filter(([, r]) => r.at <= atMs)
        .sort((a, b) => a[1].at - b[1].at)
        .slice(0, limit);
      for (const [key] of taken) reminders.delete(key);
      return taken.map(([, r]) => r);
    },
    async markDone(key, ttlSeconds) {
      set(`done:${key}`, "1", ttlSeconds);
    },
    async isDone(key) {
      return get(`done:${key}`) !== undefined;
    },
    async firstSeen(key, ttlSeconds) {
      if (get(`seen:${key}`) !== undefined) return false;
      set(`seen:${key}`, "1", ttlSeconds);
      return true;
    },
    async claimAndLoad(dedupe, id) {
      const fresh = await this.firstSeen(dedupe.key, dedupe.ttlSeconds);
      return { fresh, state: fresh ? await this.loadFamily(id) : null };
    },
    async ping() {
      return true;
    },
    async close() {
      data.clear();
      due.clear();
    },
    keys() {
      return [
        ...[...data.keys()].filter((k) => get(k) !== undefined),
        ...[...due.keys()].map((id) => `tips:due:${id}`),
      ];
    },
  };
}
