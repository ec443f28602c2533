/**
 * `npm run bench`: a conversation turn through the whole core (memory store, and Redis when
 * REDIS_URL is set), and the recommender at the real catalog size and at 30 000 activities.
 * Each figure is printed with its ratio to a baseline measured in the same run.
 */
import { Redis } from "ioredis";
import { recommend } from "../src/catalog/recommend.ts";
import type { Activity } from "../src/catalog/schema.ts";
import { buildContent } from "../src/content.ts";
import { readContentFiles } from "../src/content-files.ts";
import { createPipeline } from "../src/core/pipeline.ts";
import { newProfile } from "../src/core/types.ts";
import { createMemoryStore } from "../src/store/memory.ts";
import { createRedisStore } from "../src/store/redis.ts";
import type { Store } from "../src/store/store.ts";
import { measure, report } from "./stats.ts";

const content = buildContent(readContentFiles(), "en");
const LINES = [
  "idea",
  "another",
  "We tried it",
  "👍",
  "something for my 4 year old, 10 minutes, rainy day",
  "calmer",
  "help",
];

async function turns(label: string, store: Store, n: number) {
  const pipeline = createPipeline({ store, content });
  const families = 200;
  const subject = await measure(`turn (${label}): idea/another/feedback/free text`, n, (i) =>
    pipeline.handle({
      familyId: `bench:${label}:${i % families}`,
      event: { kind: "text", text: LINES[i % LINES.length] as string },
    }),
  );
  const state = { profile: newProfile(), session: null };
  const baseline = await measure(`${label} load+save only`, n, async (i) => {
    const id = `bench:${label}:base:${i % families}`;
    await store.loadFamily(id);
    await store.saveFamily(id, state, { sessionTtlSeconds: 60 });
  });
  report(subject, baseline);
}

function generated(base: readonly Activity[], size: number): Activity[] {
  return Array.from({ length: size }, (_, i) => {
    const a = base[i % base.length] as Activity;
    return { ...a, id: `${a.id}-${i}` };
  });
}

async function recommender(activities: readonly Activity[]) {
  const recent = activities.slice(0, 20).map((a) => a.id);
  const input = {
    activities,
    interests: ["nature", "arts"] as const,
    feedback: { [recent[3] as string]: 1 as const },
    recent,
  };
  const subject = await measure(`recommend at ${activities.length} activities`, 2000, (i) =>
    recommend({
      ...input,
      interests: [...input.interests],
      ageMonths: (i * 7) % 144,
      minutes: 20,
      setting: "home",
      seed: i,
    }),
  );
  const baseline = await measure(
    `filter by age only (${activities.length})`,
    2000,
    (i) =>
      activities.filter((a) => a.ages[0] <= (i * 7) % 144 && a.ages[1] >= (i * 7) % 144).length,
  );
  report(subject, baseline);
}

console.log(
  `Sprout bench — node ${process.version}, ${content.catalog.activities.length} activities\n`,
);
await turns("memory", createMemoryStore(), 5000);
if (process.env.REDIS_URL) {
  const prefix = `bench-${Date.now()}:`;
  const store = createRedisStore({ url: process.env.REDIS_URL, prefix });
  await turns("redis", store, 3000);
  const admin = new Redis(process.env.REDIS_URL);
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length) await admin.del(...keys);
  } while (cursor !== "0");
  await admin.quit();
  await store.close();
} else console.log("(REDIS_URL unset: the Redis turn is not measured)");
await recommender(content.catalog.activities);
await recommender(generated(content.catalog.activities, 30_000));
