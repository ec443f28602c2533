import type { FamilyId, FamilyState } from "../core/types.ts";
import type { OpportunityStore } from "../opportunities/store.ts";

/**
 * Where Sprout keeps families and the marks that make redeliveries harmless.
 * Two implementations (memory, Redis) pass one contract suite (test/store/contract.ts).
 */
export interface Store {
  /** The family's profile and session, in one read; null for a family never seen. */
  loadFamily(id: FamilyId): Promise<FamilyState | null>;
  /** Writes both at once; the session expires after `sessionTtlSeconds` of silence. */
  saveFamily(id: FamilyId, state: FamilyState, opts: { sessionTtlSeconds: number }): Promise<void>;
  /** Erases every key of the family. */
  deleteFamily(id: FamilyId): Promise<void>;
  /** True the first time `key` is seen within `ttlSeconds`; false for a repeat (redelivery). */
  firstSeen(key: string, ttlSeconds: number): Promise<boolean>;
  /**
   * `firstSeen` and `loadFamily` together, in one round trip where the store allows
   * (the webhook hot path). `state` is only meaningful when `fresh`.
   */
  claimAndLoad(
    dedupe: { key: string; ttlSeconds: number },
    id: FamilyId,
  ): Promise<{ fresh: boolean; state: FamilyState | null }>;
  /** Weekly tips: when a family's next tip is due (ms since epoch); null drops the family. */
  setTipDue(id: FamilyId, dueMs: number | null): Promise<void>;
  /** Families whose tip is due at or before `atMs`, soonest first, at most `limit`. */
  dueTips(atMs: number, limit: number): Promise<Array<{ id: FamilyId; due: number }>>;
  /** Moves a due time on only if it is still `fromMs` (no other process moved it): true if moved. */
  moveTipDue(id: FamilyId, fromMs: number, toMs: number): Promise<boolean>;
  /** How many families have a tip scheduled. */
  tipsScheduled(): Promise<number>;
  /** Remembers that a piece of work (a tip slot, one broadcast send) was done, for `ttlSeconds`. */
  markDone(key: string, ttlSeconds: number): Promise<void>;
  isDone(key: string): Promise<boolean>;
  /** A broadcast's record (who, what, reach); counts are kept apart, see `countBroadcast`. */
  saveBroadcast(b: BroadcastRecord): Promise<void>;
  loadBroadcast(
    id: string,
  ): Promise<{ record: BroadcastRecord; counts: Record<string, number> } | null>;
  /** Adds to a broadcast's counters (queued, sent, failed, skipped, skipped:<reason>…), atomically. */
  countBroadcast(id: string, add: Record<string, number>): Promise<void>;
  /** A reminder for a family about an opportunity, due at `atMs` (null: none). */
  setReminder(familyId: FamilyId, opportunityId: string, atMs: number | null): Promise<void>;
  /** Reminders due at or before `atMs`, soonest first; each is taken (removed) by one caller only. */
  takeDueReminders(
    atMs: number,
    limit: number,
  ): Promise<Array<{ familyId: FamilyId; opportunityId: string; at: number }>>;
  /** Community opportunities and families' areas (geo search), in the same database. */
  readonly opportunities: OpportunityStore;
  /** Whether the store answers (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A broadcast of an opportunity to the families it fits. */
export interface BroadcastRecord {
  id: string;
  opportunityId: string;
  by: string;
  createdAt: number;
  radiusKm: number;
  languages?: string[];
  channels?: string[];
  interests?: string[];
  /** Families it reached when sent, by channel and by language. */
  reach: { total: number; byChannel: Record<string, number>; byLanguage: Record<string, number> };
  /** Where to show progress (a Slack message), if anywhere. */
  progress?: { channel: string; ts: string };
}

/** How long a conversation is remembered without a message: a day. */
export const SESSION_TTL_SECONDS = 24 * 60 * 60;
