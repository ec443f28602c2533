import { Redis } from "ioredis";
import { describe } from "vitest";

/** The Redis to test against, or undefined (the Redis suites then skip, saying so once). */
export const REDIS_URL = process.env.REDIS_URL;

let said = false;
/** `describe` for suites that need Redis: skipped with one line when REDIS_URL is unset. */
export const describeRedis: typeof describe = ((name: string, fn: () => void) => {
  if (!REDIS_URL && !said) {
    said = true;
    console.log(
      "REDIS_URL is unset: skipping the Redis suites (set REDIS_URL=redis://127.0.0.1:6379 to run them).",
    );
  }
  return REDIS_URL ? describe(name, fn) : describe.skip(name, fn);
}) as typeof describe;

/** Deletes every key under a prefix (what a test run left in the shared Redis). */
export async function deletePrefix(prefix: string): Promise<void> {
  const admin = new Redis(REDIS_URL as string);
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await admin.del(...keys);
  } while (cursor !== "0");
  await admin.quit();
}
