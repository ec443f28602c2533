/**
 * Weekly tips at scale (needs REDIS_URL): one million subscriptions scheduled on one Redis,
 * the memory each costs in the schedule, and the time to find and move on the families due in
 * one minute (the scheduler's work each minute), compared with a plain ZRANGEBYSCORE of as many.
 */
import { Redis } from "ioredis";
import { createRedisStore } from "../src/store/redis.ts";
import { nextSlot } from "../src/tips/schedule.ts";

const url = process.env.REDIS_URL;
if (!url) {
  console.log("tips bench: set REDIS_URL to run it");
  process.exit(0);
}
const N = Number(process.env.TIPS_BENCH_FAMILIES ?? 1_000_000);
const prefix = `bench-tips-${Date.now()}:`;
const redis = new Redis(url);
const store = createRedisStore({ url, prefix });
const zones = [
  "Europe/London",
  "Europe/Kyiv",
  "Africa/Nairobi",
  "Asia/Kolkata",
  "America/New_York",
  "America/Sao_Paulo",
  "Asia/Ho_Chi_Minh",
  "Europe/Madrid",
];
const hours = [8, 12, 18, 19, 20];
const from = new Date("2026-12-07T00:00:00Z");

const before = Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
let t0 = performance.now();
const dueKey = `${prefix}tips:due`;
for (let i = 0; i < N; i += 10_000) {
  const args: (string | number)[] = [];
  for (let k = i; k < Math.min(N, i + 10_000); k++) {
    const plan = {
      days: [1, 3, 5],
      hour: hours[k % hours.length] as number,
      minute: (k % 4) * 15,
      tz: zones[k % zones.length] as string,
    };
    args.push(nextSlot(plan, from).getTime(), `telegram:${100_000_000 + k}`);
  }
  await redis.zadd(dueKey, ...args);
}
const loadMs = performance.now() - t0;
const after = Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
const keyBytes = Number(await redis.call("MEMORY", "USAGE", dueKey, "SAMPLES", "0"));
// The subscription itself lives in the family's profile: its JSON adds this many bytes.
const tipsJson = JSON.stringify({
  tips: {
    perWeek: 3,
    days: [1, 3, 5],
    hour: 18,
    minute: 0,
    tz: "Europe/London",
    week: "2026-12-07",
    activity: "puddle-boats-and-sticks",
    seen: [],
  },
}).length;

// The busiest minute: every family due then.
const counts = new Map<number, number>();
const flat = await redis.zrange(dueKey, "0", "-1", "WITHSCORES");
for (let i = 1; i < flat.length; i += 2) {
  const score = Number(flat[i]);
  counts.set(score, (counts.get(score) ?? 0) + 1);
}
const [busiest, inMinute] = [...counts].sort((a, b) => b[1] - a[1])[0] as [number, number];

t0 = performance.now();
const plain = await redis.zrangebyscore(dueKey, "-inf", busiest);
const plainMs = performance.now() - t0;

t0 = performance.now();
let found = 0;
for (;;) {
  const due = await store.dueTips(busiest, 500);
  if (due.length === 0) break;
  found += due.length;
  await Promise.all(due.map((d) => store.moveTipDue(d.id, d.due, d.due + 7 * 24 * 3600 * 1000)));
}
const tickMs = performance.now() - t0;

console.log(`\ntips schedule, ${N.toLocaleString("en")} subscriptions on one Redis`);
console.log(`  scheduled in ${(loadMs / 1000).toFixed(1)} s`);
console.log(
  `  schedule memory: ${(keyBytes / N).toFixed(0)} B/subscription (MEMORY USAGE), ${((after - before) / N).toFixed(0)} B (used_memory delta); aim < 200`,
);
console.log(
  `  subscription fields in the profile JSON: ${tipsJson} B (besides the profile it extends)`,
);
console.log(
  `  busiest minute: ${inMinute.toLocaleString("en")} families due in it; ${found.toLocaleString("en")} due by its end (the first slots of the week)`,
);
console.log(
  `  find + move them on (dueTips 500 at a time + compare-and-set each): ${tickMs.toFixed(0)} ms for ${found.toLocaleString("en")} (${((tickMs / found) * 1000).toFixed(1)} µs/family)`,
);
console.log(
  `  baseline, one ZRANGEBYSCORE of the same ${plain.length.toLocaleString("en")}: ${plainMs.toFixed(0)} ms; ratio ${(tickMs / plainMs).toFixed(1)}×`,
);
await redis.del(dueKey);
await store.close();
await redis.quit();
