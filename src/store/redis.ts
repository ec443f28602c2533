import { Redis } from "ioredis";
import type { FamilyId, FamilyState } from "../core/types.ts";
import { createRedisOpportunityStore } from "../opportunities/redis.ts";
import type { Store } from "./store.ts";

/**
 * The Redis store. A family's keys share one hash tag (`{family id}`), so they live in one
 * Redis Cluster slot and are read with one MGET and written with one MULTI.
 * @example const store = createRedisStore({ url: "redis://127.0.0.1:6379", prefix: "sprout:" })
 */
export function createRedisStore(opts: {
  url: string;
  prefix?: string;
  redis?: Redis;
  /** One connection for one request (Workers): skip the ready check and naming, two round trips. */
  shortLived?: boolean;
}): Store & { redis: Redis } {
  const prefix = opts.prefix ?? "sprout:";
  const redis =
    opts.redis ??
    new Redis(opts.url, {
      lazyConnect: false,
      maxRetriesPerRequest: 2,
      enableAutoPipelining: true,
      ...(opts.shortLived ? { enableReadyCheck: false } : { connectionName: "sprout" }),
    });
  const seenKey = (key: string) => `${prefix}seen:{${key}}`;
  const doneKey = (key: string) => `${prefix}done:{${key}}`;
  /** One sorted set of due times: ~100 bytes a family, ZRANGEBYSCORE finds the due ones. */
  const dueKey = `${prefix}tips:due`;
  redis.defineCommand("sproutMoveDue", {
    numberOfKeys: 1,
    lua: `local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) return 1 end
return 0`,
  });
  const remindersKey = `${prefix}reminders:due`;
  const broadcastKey = (id: string) => `${prefix}broadcast:{${id}}`;
  redis.defineCommand("sproutTakeDue", {
    numberOfKeys: 1,
    lua: `local items = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[2])
for i = 1, #items, 2 do redis.call('ZREM', KEYS[1], items[i]) end
return items`,
  });
  const takeDue = (at: number, limit: number) =>
    (
      redis as unknown as {
        sproutTakeDue(k: string, at: number, limit: number): Promise<string[]>;
      }
    ).sproutTakeDue(remindersKey, at, limit);
  const moveDue = (id: string, from: number, to: number) =>
    (
      redis as unknown as {
        sproutMoveDue(k: string, id: string, from: number, to: number): Promise<number>;
      }
    ).sproutMoveDue(dueKey, id, from, to);
  const familyKeys = (id: FamilyId) => {
    const tag = `${prefix}family:{${id}}`;
    return { profile: `${tag}:profile`, session: `${tag}:session` };
  };
  return {
    redis,
    opportunities: createRedisOpportunityStore({ redis, prefix }),
    async loadFamily(id) {
      const k = familyKeys(id);
      const [profile, session] = await redis.mget(k.profile, k.session);
      if (!profile) return null;
      return {
        profile: JSON.parse(profile),
        session: session ? JSON.parse(session) : null,
      } as FamilyState;
    },
    async saveFamily(id, state, { sessionTtlSeconds }) {
      const k = familyKeys(id);
      const tx = redis.multi().set(k.profile, JSON.stringify(state.profile));
      if (state.session) tx.set(k.session, JSON.stringify(state.session), "EX", sessionTtlSeconds);
      else tx.del(k.session);
      await tx.exec();
    },
    async deleteFamily(id) {
      const k = familyKeys(id);
      await redis.del(k.profile, k.session);
      await redis.zrem(dueKey, id);
      await redis.zrem(`${prefix}families:geo`, id);
    },
    async setTipDue(id, dueMs) {
      if (dueMs === null) await redis.zrem(dueKey, id);
      else await redis.zadd(dueKey, dueMs, id);
    },
    async dueTips(atMs, limit) {
      const flat = await redis.zrangebyscore(dueKey, "-inf", atMs, "WITHSCORES", "LIMIT", 0, limit);
      const out: Array<{ id: FamilyId; due: number }> = [];
      for (let i = 0; i < flat.length; i += 2)
        out.push({ id: flat[i] as string, due: Number(flat[i + 1]) });
      return out;
    },
    async moveTipDue(id, fromMs, toMs) {
      return (await moveDue(id, fromMs, toMs)) === 1;
    },
    async tipsScheduled() {
      return redis.zcard(dueKey);
    },
    async saveBroadcast(b) {
      await redis.hset(broadcastKey(b.id), "record", JSON.stringify(b));
    },
    async loadBroadcast(id) {
      const all = await redis.hgetall(broadcastKey(id));
      if (!all.record) return null;
      const counts: Record<string, number> = {};
      for (const [k, v] of Object.entries(all)) if (k !== "record") counts[k] = Number(v);
      return { record: JSON.parse(all.record), counts };
    },
    async countBroadcast(id, add) {
      const tx = redis.multi();
      for (const [k, n] of Object.entries(add)) tx.hincrby(broadcastKey(id), k, n);
      await tx.exec();
    },
    async setReminder(familyId, opportunityId, atMs) {
      const member = `${familyId}\n${opportunityId}`;
      if (atMs === null) await redis.zrem(remindersKey, member);
      else await redis.zadd(remindersKey, atMs, member);
    },
    async takeDueReminders(atMs, limit) {
      const flat = await takeDue(atMs, limit);
      const out = [];
      for (let i = 0; i < flat.length; i += 2) {
        const [familyId, opportunityId] = (flat[i] as string).split("\n");
        out.push({
          familyId: familyId as string,
          opportunityId: opportunityId as string,
          at: Number(flat[i + 1]),
        });
      }
      return out;
    },
    async markDone(key, ttlSeconds) {
      await redis.set(doneKey(key), "1", "EX", ttlSeconds);
    },
    async isDone(key) {
      return (await redis.exists(doneKey(key))) === 1;
    },
    async firstSeen(key, ttlSeconds) {
      return (await redis.set(seenKey(key), "1", "EX", ttlSeconds, "NX")) === "OK";
    },
    async claimAndLoad(dedupe, id) {
      const k = familyKeys(id);
      const results = await redis
        .pipeline()
        .set(seenKey(dedupe.key), "1", "EX", dedupe.ttlSeconds, "NX")
        .mget(k.profile, k.session)
        .exec();
      const [[claimErr, claimed] = [], [loadErr, values] = []] = results ?? [];
      if (claimErr) throw claimErr;
      if (loadErr) throw loadErr;
      if (claimed !== "OK") return { fresh: false, state: null };
      const [profile, session] = values as [string | null, string | null];
      return {
        fresh: true,
        state: profile
          ? ({
              profile: JSON.parse(profile),
              session: session ? JSON.parse(session) : null,
            } as FamilyState)
          : null,
      };
    },
    async ping() {
      try {
        return (await redis.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    async close() {
      if (!opts.redis) await redis.quit();
    },
  };
}
