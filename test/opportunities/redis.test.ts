import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createRedisOpportunityStore } from "../../src/opportunities/redis.ts";
import { KEEP_AFTER_EXPIRY_MS } from "../../src/opportunities/store.ts";
import { opportunityStoreContract, POINTS, sample } from "./contract.ts";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redis = new Redis(url, {
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  connectTimeout: 1000,
  retryStrategy: () => null,
});
const up = await redis
  .connect()
  .then(() => redis.ping())
  .then(
    (pong) => pong === "PONG",
    () => false,
  );
if (!up) {
  redis.disconnect();
  console.log(`No Redis answers at ${url}: skipping the Redis opportunity store suite.`);
}

const prefixes: string[] = [];
const newPrefix = () => {
  const prefix = `sprout-test-${crypto.randomUUID().slice(0, 8)}:`;
  prefixes.push(prefix);
  return prefix;
};

/** Every key under a prefix, by SCAN (as an operator would check). */
async function keys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    out.push(...batch);
  } while (cursor !== "0");
  return out;
}

(up ? describe : describe.skip)("redis opportunity store", () => {
  afterAll(async () => {
    for (const prefix of prefixes) {
      const left = await keys(prefix);
      if (left.length) await redis.del(...left);
    }
    await redis.quit();
  });

  opportunityStoreContract("redis", async () => ({
    store: createRedisOpportunityStore({ redis, prefix: newPrefix() }),
  }));

  it("keeps every key under its prefix, an opportunity's key under its own hash tag", async () => {
    const prefix = newPrefix();
    const store = createRedisOpportunityStore({ redis, prefix });
    const o = await store.create(sample(), "alice");
    await store.setArea("telegram:1", POINTS.castlePark);
    expect((await keys(prefix)).sort()).toEqual(
      [
        `${prefix}audit`,
        `${prefix}families:geo`,
        `${prefix}opp:{${o.id}}`,
        `${prefix}opps:expires`,
        `${prefix}opps:geo`,
      ].sort(),
    );
    expect(await keys("sprout-test-none-such:")).toEqual([]);
  });

  it("drops what is over from both indexes lazily; the key lives on a day past its end", async () => {
    const prefix = newPrefix();
    const store = createRedisOpportunityStore({ redis, prefix });
    const o = await store.create(sample(), "alice");
    const key = `${prefix}opp:{${o.id}}`;
    const end = Date.parse("2030-03-23T11:00:00Z");
    expect(Number(await redis.call("PEXPIRETIME", key))).toBe(end + KEEP_AFTER_EXPIRY_MS);
    expect(await redis.zscore(`${prefix}opps:expires`, o.id)).toBe(String(end));
    expect(await redis.geopos(`${prefix}opps:geo`, o.id)).not.toEqual([null]);

    expect(await store.upcoming(new Date(end + 1))).toEqual([]);
    expect(await redis.zscore(`${prefix}opps:expires`, o.id)).toBeNull();
    expect(await redis.zscore(`${prefix}opps:geo`, o.id)).toBeNull();
    expect(await store.get(o.id)).toEqual(o);
  });

  it("a weekly series' key lives until a day after its last occurrence", async () => {
    const prefix = newPrefix();
    const store = createRedisOpportunityStore({ redis, prefix });
    const o = await store.create(sample({ repeat: { weekly: true, until: "2030-06-01" } }), "a");
    expect(Number(await redis.call("PEXPIRETIME", `${prefix}opp:{${o.id}}`))).toBe(
      Date.parse("2030-06-01T10:00:00Z") + KEEP_AFTER_EXPIRY_MS,
    );
  });

  it("caps the audit list", async () => {
    const prefix = newPrefix();
    const store = createRedisOpportunityStore({ redis, prefix });
    await redis.rpush(`${prefix}audit`, ...Array.from({ length: 10_000 }, (_, i) => `old-${i}`));
    await store.record({ action: "broadcast", id: "x", by: "dana", at: 1 });
    expect(await redis.llen(`${prefix}audit`)).toBe(10_000);
    expect((await store.audit(1))[0]).toEqual({ action: "broadcast", id: "x", by: "dana", at: 1 });
  });
});
