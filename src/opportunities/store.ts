import type { Occurrence } from "./occurrence.ts";
import type { NewOpportunity, Opportunity } from "./schema.ts";

/** One line of the audit trail: who did what to which opportunity (or broadcast), when (ms). */
export interface AuditEntry {
  action: string;
  id: string;
  by: string;
  at: number;
}

/** A point and a radius. */
export interface Circle {
  lat: number;
  lng: number;
  radiusKm: number;
}

/** How long an opportunity stays readable by id after its last occurrence ends. */
export const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;
/** How many audit entries are kept (the oldest go first). */
export const AUDIT_CAP = 10_000;
/** How many results `upcoming` and `near` give when no limit is asked. */
export const DEFAULT_LIMIT = 100;

/**
 * Where community opportunities live: one interface, two implementations (memory, Redis) that
 * pass one contract suite (test/opportunities/contract.ts).
 */
export interface OpportunityStore {
  /** Stores a new opportunity (checked again) under a fresh short id. */
  create(input: NewOpportunity, by: string): Promise<Opportunity>;
  /** The opportunity, or null (never stored, removed, or a day past its last occurrence). */
  get(id: string): Promise<Opportunity | null>;
  /**
   * Merges a patch (a key present with `undefined` removes that field), checks the whole again
   * (throws the `ZodError` if it breaks a rule) and re-indexes; null when there is no such id.
   */
  update(id: string, patch: Partial<NewOpportunity>, by: string): Promise<Opportunity | null>;
  /** Removes an opportunity; false when there was none. */
  remove(id: string, by: string): Promise<boolean>;
  /** Not yet over, soonest next occurrence first. */
  upcoming(
    now: Date,
    limit?: number,
  ): Promise<Array<{ opportunity: Opportunity; next: Occurrence }>>;
  /**
   * Upcoming within radiusKm of a point, fitting an age if given (any of ageMonths within
   * [min, max]; an empty list filters nothing), soonest first, with the distance in km.
   */
  near(
    q: Circle & { now: Date; ageMonths?: number[]; limit?: number },
  ): Promise<Array<{ opportunity: Opportunity; km: number; next: Occurrence }>>;
  /** Who did what: every create/update/remove (and broadcasts, added by others via `record`). */
  record(entry: AuditEntry): Promise<void>;
  /** The newest entries first (default 100). */
  audit(limit?: number): Promise<AuditEntry[]>;
  /** Families' areas, for broadcasts: set (or clear with null) a family's rounded area. */
  setArea(familyId: string, area: { lat: number; lng: number } | null): Promise<void>;
  /** Family ids whose area is within radiusKm of a point (unordered). */
  familiesNear(q: Circle): Promise<string[]>;
}

/**
 * A short random URL-safe id (12 characters, 72 random bits).
 * @example newOpportunityId() // "q3Zk9_xP2mLa"
 */
export function newOpportunityId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_");
}

/** Whether an opportunity welcomes a child of one of these ages (no ages: everyone fits). */
export function fitsAges(o: Pick<NewOpportunity, "ages">, ageMonths?: readonly number[]): boolean {
  if (!ageMonths || ageMonths.length === 0) return true;
  return ageMonths.some((a) => a >= o.ages.minMonths && a <= o.ages.maxMonths);
}

/** Soonest start first; the nearer first on a tie, then by id so the order is stable. */
export function bySoonest(
  a: { opportunity: Opportunity; next: Occurrence; km?: number },
  b: { opportunity: Opportunity; next: Occurrence; km?: number },
): number {
  return (
    a.next.startsAt.getTime() - b.next.startsAt.getTime() ||
    (a.km ?? 0) - (b.km ?? 0) ||
    (a.opportunity.id < b.opportunity.id ? -1 : a.opportunity.id > b.opportunity.id ? 1 : 0)
  );
}

/** The fields of a stored opportunity a patch applies to (without id and bookkeeping). */
export function fieldsOf(o: Opportunity): NewOpportunity {
  const copy: Partial<Opportunity> = { ...o };
  delete copy.id;
  delete copy.createdBy;
  delete copy.createdAt;
  delete copy.updatedAt;
  return copy as NewOpportunity;
}
