import { expiresAt, nextOccurrence } from "./occurrence.ts";
import { distanceKm } from "./places.ts";
import { applyPatch, checkOpportunity, type Opportunity } from "./schema.ts";
import {
  AUDIT_CAP,
  type AuditEntry,
  bySoonest,
  DEFAULT_LIMIT,
  fieldsOf,
  fitsAges,
  KEEP_AFTER_EXPIRY_MS,
  newOpportunityId,
  type OpportunityStore,
} from "./store.ts";

interface Entry {
  json: string;
  expires: number;
}

/**
 * The reference opportunity store: Maps in this process, distances by haversine. Values are kept
 * as JSON so callers never share objects with the store.
 * @example const opportunities = createMemoryOpportunityStore()
 */
export function createMemoryOpportunityStore(
  opts: {
    /** The wall clock for bookkeeping (createdAt, audit) and for forgetting old ones (ms). */
    now?: () => number;
  } = {},
): OpportunityStore {
  const clock = opts.now ?? Date.now;
  const items = new Map<string, Entry>();
  const areas = new Map<string, { lat: number; lng: number }>();
  const log: AuditEntry[] = [];

  const read = (id: string): Opportunity | null => {
    const e = items.get(id);
    if (!e) return null;
    if (e.expires + KEEP_AFTER_EXPIRY_MS <= clock()) {
      items.delete(id);
      return null;
    }
    return JSON.parse(e.json) as Opportunity;
  };
  const write = (o: Opportunity) =>
    items.set(o.id, { json: JSON.stringify(o), expires: expiresAt(o) });
  const record = async (entry: AuditEntry) => {
    log.push({ ...entry });
    if (log.length > AUDIT_CAP) log.splice(0, log.length - AUDIT_CAP);
  };
  /** Every opportunity still upcoming at `now`, with its next occurrence. */
  const live = (now: Date) => {
    const out: Array<{
      opportunity: Opportunity;
      next: NonNullable<ReturnType<typeof nextOccurrence>>;
    }> = [];
    for (const [id, e] of items) {
      if (e.expires <= now.getTime()) continue;
      const opportunity = read(id);
      const next = opportunity && nextOccurrence(opportunity, now);
      if (opportunity && next) out.push({ opportunity, next });
    }
    return out;
  };

  return {
    async create(input, by) {
      const at = new Date(clock()).toISOString();
      const o: Opportunity = {
        id: newOpportunityId(),
        ...checkOpportunity(input),
        createdBy: by,
        createdAt: at,
        updatedAt: at,
      };
      write(o);
      await record({ action: "create", id: o.id, by, at: clock() });
      return o;
    },
    async get(id) {
      return read(id);
    },
    async update(id, patch, by) {
      const current = read(id);
      if (!current) return null;
      const o: Opportunity = {
        id,
        ...applyPatch(fieldsOf(current), patch),
        createdBy: current.createdBy,
        createdAt: current.createdAt,
        updatedAt: new Date(clock()).toISOString(),
      };
      write(o);
      await record({ action: "update", id, by, at: clock() });
      return o;
    },
    async remove(id, by) {
      if (!read(id)) return false;
      items.delete(id);
      await record({ action: "remove", id, by, at: clock() });
      return true;
    },
    async upcoming(now, limit = DEFAULT_LIMIT) {
      return live(now).sort(bySoonest).slice(0, limit);
    },
    async near({ lat, lng, radiusKm, now, ageMonths, limit = DEFAULT_LIMIT }) {
      return live(now)
        .filter(({ opportunity }) => fitsAges(opportunity, ageMonths))
        .map((x) => ({ ...x, km: distanceKm({ lat, lng }, x.opportunity.place) }))
        .filter((x) => x.km <= radiusKm)
        .sort(bySoonest)
        .slice(0, limit);
    },
    record,
    async audit(limit = 100) {
      return (limit > 0 ? log.slice(-limit) : []).reverse().map((e) => ({ ...e }));
    },
    async setArea(familyId, area) {
      if (area === null) areas.delete(familyId);
      else areas.set(familyId, { lat: area.lat, lng: area.lng });
    },
    async familiesNear({ lat, lng, radiusKm }) {
      return [...areas]
        .filter(([, a]) => distanceKm({ lat, lng }, a) <= radiusKm)
        .map(([id]) => id);
    },
  };
}
