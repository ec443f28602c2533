import { Redis } from "ioredis";
import { afterAll, expect, it } from "vitest";
import { createRedisStore } from "../../src/store/redis.ts";
import { describeRedis, REDIS_URL } from "../helpers/redis.ts";
import { storeContract } from "./contract.ts";

describeRedis("redis", () => {
  const admin = REDIS_URL ? new Redis(REDIS_URL) : undefined;
  afterAll(async () => {
    await admin?.quit();
  });

  /** Every key under a prefix, by SCAN (as an operator would check). */
  async function scan(match: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await (admin as Redis).scan(cursor, "MATCH", match, "COUNT", 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
    return keys;
  }

  storeContract("redis", async () => {
    const prefix = `test-${Math.random().toString(36).slice(2)}:`;
    const store = createRedisStore({ url: REDIS_URL as string, prefix });
    return {
      store,
      advance: (seconds) => new Promise((r) => setTimeout(r, seconds * 1000)),
      keysContaining: (text) => scan(`*${text.replace(/[*?[\]]/g, "\\$&")}*`),
    };
  });

  it("puts a family's keys in one Redis Cluster slot (one hash tag)", async () => {
    const prefix = `test-${Math.random().toString(36).slice(2)}:`;
    const store = createRedisStore({ url: REDIS_URL as string, prefix });
    await store.saveFamily(
      "whatsapp:+34600000000",
      {
        profile: {
          children: [],
          interests: [],
          recent: [],
          feedback: {},
          optedOut: false,
          suggestions: 0,
        },
        session: { flow: "", step: "", vars: {}, choices: [] },
      },
      { sessionTtlSeconds: 60 },
    );
    const keys = await scan(`${prefix}*`);
    expect(keys).toHaveLength(2);
    const slots = await Promise.all(
      keys.map((k) =>
        (admin as Redis).call("CLUSTER", "KEYSLOT", k).catch(() => k.match(/\{([^}]+)\}/)?.[1]),
      ),
    );
    expect(new Set(slots).size).toBe(1);
    await store.deleteFamily("whatsapp:+34600000000");
    expect(await scan(`${prefix}*`)).toEqual([]);
    await store.close();
  });
});
