import type { Config } from "../config.ts";
import { createMemoryStore } from "./memory.ts";
import { createRedisStore } from "./redis.ts";
import type { Store } from "./store.ts";

/** The store the configuration asks for: Redis when REDIS_URL is set, else in memory. */
export function openStore(config: Pick<Config, "REDIS_URL" | "REDIS_PREFIX">): Store {
  return config.REDIS_URL
    ? createRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX })
    : createMemoryStore();
}
