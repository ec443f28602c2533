import type { Redis } from "ioredis";
import { expiresAt, nextOccurrence, type Occurrence } from "./occurrence.ts";
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

/** Redis GEO indexes only latitudes within ±85.05112878° (Web Mercator). */
const GEO_MAX_LAT = 85.05112878;
const geoLat = (lat: number) => Math.max(-GEO_MAX_LAT, Math.min(GEO_MAX_LAT, lat));

/**
 * The Redis opportunity store, on an existing ioredis client. Keys (every one under `prefix`):
 * - `opp:{<id>}`: the opportunity as JSON, expiring a day after its last occurrence ends;
 * - `opps:geo`: GEO set of opportunity ids by place; `opps:expires`: ids scored by expiry (ms),
 *   from which `upcoming` and `near` lazily drop what is over (from both indexes);
 * - `families:geo`: GEO set of families' areas; `audit`: a list capped at 10 000, newest first.
 * Commands touch one key each (no cross-slot MULTI), so it runs on Redis Cluster as well.
 * @example const opportunities = createRedisOpportunityStore({ redis, prefix: "sprout:" })
 */
export function createRedisOpportunityStore(opts: {
  redis: Redis;
  prefix?: string;
  /** The wall clock for bookkeeping (createdAt, audit) (ms). */
  now?: () => number;
}): OpportunityStore {
  const { redis } = opts;
  const prefix = opts.prefix ?? "sprout:";
  const clock = opts.now ?? Date.now;
  const oppKey = (id: string) => `${prefix}opp:{${id}}`;
  const geoKey = `${prefix}opps:geo`;
  const expiresKey = `${prefix}opps:expires`;
  const familiesKey = `${prefix}families:geo`;
  const auditKey = `${prefix}audit`;

  const parse = (json: string | null) => (json ? (JSON.parse(json) as Opportunity) : null);

  async function save(o: Opportunity) {
    const expires = expiresAt(o);
    await redis
      .multi()
      .set(oppKey(o.id), JSON.stringify(o))
      .pexpireat(oppKey(o.id), expires + KEEP_AFTER_EXPIRY_MS)
      .exec();
    await Promise.all([
      redis.geoadd(geoKey, o.place.lng, geoLat(o.place.lat), o.id),
      redis.zadd(expiresKey, expires, o.id),
    ]);
  }

  async function record(entry: AuditEntry) {
    const { action, id, by, at } = entry;
    await redis
      .multi()
      .lpush(auditKey, JSON.stringify({ action, id, by, at }))
      .ltrim(auditKey, 0, AUDIT_CAP - 1)
      .exec();
  }

  /** Drops from both indexes what is over at `now` (the keys themselves expire by TTL). */
  async function sweep(now: number) {
    const over = await redis.zrangebyscore(expiresKey, "-inf", now);
    if (over.length === 0) return;
    await Promise.all([
      redis.zrem(geoKey, ...over),
      redis.zremrangebyscore(expiresKey, "-inf", now),
    ]);
  }

  /** Loads ids (one GET each: the keys live in different slots), with their next occurrence. */
  async function load(ids: string[], now: Date) {
    const values = await Promise.all(ids.map((id) => redis.get(oppKey(id))));
    const out: Array<{ opportunity: Opportunity; next: Occurrence; index: number }> = [];
    values.forEach((json, index) => {
      const opportunity = parse(json);
      const next = opportunity && nextOccurrence(opportunity, now);
      if (opportunity && next) out.push({ opportunity, next, index });
    });
    return out;
  }

  return {
    async create(input, by) {
      const at = clock();
      const o: Opportunity = {
        id: newOpportunityId(),
        ...checkOpportunity(input),
        createdBy: by,
        createdAt: new Date(at).toISOString(),
        updatedAt: new Date(at).toISOString(),
      };
      await save(o);
      await record({ action: "create", id: o.id, by, at });
      return o;
    },
    async get(id) {
      return parse(await redis.get(oppKey(id)));
    },
    async update(id, patch, by) {
      const current = parse(await redis.get(oppKey(id)));
      if (!current) return null;
      const at = clock();
      const o: Opportunity = {
        id,
        ...applyPatch(fieldsOf(current), patch),
        createdBy: current.createdBy,
        createdAt: current.createdAt,
        updatedAt: new Date(at).toISOString(),
      };
      await save(o);
      await record({ action: "update", id, by, at });
      return o;
    },
    async remove(id, by) {
      const [removed] = await Promise.all([
        redis.del(oppKey(id)),
        redis.zrem(geoKey, id),
        redis.zrem(expiresKey, id),
      ]);
      if (removed === 0) return false;
      await record({ action: "remove", id, by, at: clock() });
      return true;
    },
    async upcoming(now, limit = DEFAULT_LIMIT) {
      await sweep(now.getTime());
      const ids = await redis.zrangebyscore(expiresKey, `(${now.getTime()}`, "+inf");
      const found = await load(ids, now);
      return found
        .map(({ opportunity, next }) => ({ opportunity, next }))
        .sort(bySoonest)
        .slice(0, limit);
    },
    async near({ lat, lng, radiusKm, now, ageMonths, limit = DEFAULT_LIMIT }) {
      await sweep(now.getTime());
      const hits = (await redis.geosearch(
        geoKey,
        "FROMLONLAT",
        lng,
        geoLat(lat),
        "BYRADIUS",
        radiusKm,
        "km",
        "WITHDIST",
        "ASC",
      )) as Array<[string, string]>;
      const found = await load(
        hits.map(([id]) => id),
        now,
      );
      return found
        .filter(({ opportunity }) => fitsAges(opportunity, ageMonths))
        .map(({ opportunity, next, index }) => ({
          opportunity,
          next,
          km: Number(hits[index]?.[1]),
        }))
        .sort(bySoonest)
        .slice(0, limit);
    },
    record,
    async audit(limit = 100) {
      if (limit <= 0) return [];
      const rows = await redis.lrange(auditKey, 0, limit - 1);
      return rows.map((r) => JSON.parse(r) as AuditEntry);
    },
    async setArea(familyId, area) {
      if (area === null) await redis.zrem(familiesKey, familyId);
      else await redis.geoadd(familiesKey, area.lng, geoLat(area.lat), familyId);
    },
    async familiesNear({ lat, lng, radiusKm }) {
      return (await redis.geosearch(
        familiesKey,
        "FROMLONLAT",
        lng,
        geoLat(lat),
        "BYRADIUS",
        radiusKm,
        "km",
      )) as string[];
    },
  };
}
