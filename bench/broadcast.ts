/**
 * Broadcasts at scale (needs REDIS_URL): enqueueing a broadcast to 100 000 generated families
 * (reach + one BullMQ job each) with its time and Redis memory; then the send rate achieved
 * against a configured limit, through grammY and BullMQ, on a local Bot API that answers 429
 * above that limit (aim: within 5 % of the limit, no 429 lost).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { createBroadcasts } from "../src/broadcasts/broadcasts.ts";
import { createChannels } from "../src/channels/index.ts";
import { loadConfig } from "../src/config.ts";
import { buildContent } from "../src/content.ts";
import { readContentFiles } from "../src/content-files.ts";
import { createPipeline } from "../src/core/pipeline.ts";
import { newProfile } from "../src/core/types.ts";
import { createBullQueue } from "../src/jobs/bullmq.ts";
import { createRedisStore } from "../src/store/redis.ts";

const url = process.env.REDIS_URL;
if (!url) {
  console.log("broadcast bench: set REDIS_URL to run it");
  process.exit(0);
}
const N = Number(process.env.BROADCAST_BENCH_FAMILIES ?? 100_000);
const RATE = Number(process.env.BROADCAST_BENCH_RATE ?? 50);
const SENDS = Number(process.env.BROADCAST_BENCH_SENDS ?? RATE * 20);
const content = buildContent(readContentFiles(), "en");
const redis = new Redis(url);
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
const quiet = { info() {}, error() {} };

async function cleanup(prefix: string) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 5000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== "0");
}

/** N families near a library, in Redis as the store keeps them. */
async function families(prefix: string, n: number, idBase: number) {
  const profile = JSON.stringify({
    ...newProfile(),
    locale: "en",
    consent: true,
    opportunities: true,
    area: { lat: 51.45, lng: -2.6 },
    children: [{ birthMonth: "2024-01" }],
    lastInboundAt: Date.now(),
  });
  for (let i = 0; i < n; i += 5000) {
    const p = redis.pipeline();
    const geo: (string | number)[] = [];
    for (let k = i; k < Math.min(n, i + 5000); k++) {
      const id = `telegram:${idBase + k}`;
      p.set(`${prefix}family:{${id}}:profile`, profile);
      geo.push(-2.615 + (k % 100) * 0.0003, 51.437 + (Math.floor(k / 100) % 100) * 0.0003, id);
    }
    p.geoadd(`${prefix}families:geo`, ...geo);
    await p.exec();
  }
}

const opportunity = {
  title: { en: "Rhyme time" },
  description: { en: "Songs and rhymes." },
  startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
  endsAt: new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString(),
  timezone: "Europe/London",
  place: { name: "Central Library", lat: 51.4526, lng: -2.5997 },
  ages: { minMonths: 0, maxMonths: 72 },
  cost: "free",
  languages: ["en"],
};

// 1. Enqueue a broadcast to N families.
{
  const prefix = `bench-b-${Date.now()}:`;
  await families(prefix, N, 100_000_000);
  const store = createRedisStore({ url, prefix });
  const queue = createBullQueue({ url, prefix: `${prefix}bull` });
  const pipeline = createPipeline({ store, content });
  const broadcasts = createBroadcasts({
    store,
    queue,
    pipeline,
    channels: new Map(),
    speech: content.speech,
  });
  const o = await store.opportunities.create(opportunity, "bench");
  let t0 = performance.now();
  const dry = await broadcasts.start({ opportunityId: o.id, radiusKm: 5, dryRun: true }, "bench");
  const reachMs = performance.now() - t0;
  const before = await usedMemory();
  t0 = performance.now();
  const started = await broadcasts.start({ opportunityId: o.id, radiusKm: 5 }, "bench");
  const enqueueMs = performance.now() - t0;
  const after = await usedMemory();
  console.log(
    `\nbroadcast to ${dry.reach.total.toLocaleString("en")} families (of ${N.toLocaleString("en")} generated), BullMQ on Redis`,
  );
  console.log(`  reach only (GEOSEARCH + profiles): ${(reachMs / 1000).toFixed(2)} s`);
  console.log(
    `  reach + enqueue one job each: ${(enqueueMs / 1000).toFixed(2)} s (${((enqueueMs / started.reach.total) * 1000).toFixed(1)} µs/family); baseline reach alone: ratio ${(enqueueMs / reachMs).toFixed(2)}×`,
  );
  console.log(
    `  Redis memory for the queued jobs: ${((after - before) / 1024 / 1024).toFixed(1)} MiB (${((after - before) / started.reach.total).toFixed(0)} B/job; freed as they complete)`,
  );
  await queue.close();
  await store.close();
  await cleanup(prefix);
}

// 2. The send rate against a limit, on a local Bot API that answers 429 above it.
{
  const sent: number[] = [];
  let limited = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.url?.endsWith("/getMe")) {
        res.end(
          JSON.stringify({
            ok: true,
            result: {
              id: 1,
              is_bot: true,
              first_name: "Bench",
              username: "bench_bot",
              can_join_groups: true,
              can_read_all_group_messages: false,
              supports_inline_queries: false,
            },
          }),
        );
        return;
      }
      const now = Date.now();
      if (sent.filter((t) => t > now - 1000).length >= RATE) {
        limited++;
        res.statusCode = 429;
        res.end(
          JSON.stringify({
            ok: false,
            error_code: 429,
            description: "Too Many Requests: retry after 1",
            parameters: { retry_after: 1 },
          }),
        );
        return;
      }
      sent.push(now);
      const chat = (JSON.parse(body || "{}") as { chat_id?: number }).chat_id ?? 0;
      res.end(
        JSON.stringify({
          ok: true,
          result: {
            message_id: sent.length,
            date: Math.floor(now / 1000),
            chat: { id: chat, type: "private" },
            text: "ok",
          },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const prefix = `bench-r-${Date.now()}:`;
  await families(prefix, SENDS, 200_000_000);
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: "123:bench",
    TELEGRAM_WEBHOOK_SECRET: "bench",
    TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`,
  });
  const store = createRedisStore({ url, prefix });
  const queue = createBullQueue({ url, prefix: `${prefix}bull`, rates: { telegram: RATE } });
  const pipeline = createPipeline({ store, content });
  const channels = await createChannels({
    config,
    pipeline,
    speech: content.speech,
    logger: quiet,
  });
  const broadcasts = createBroadcasts({
    store,
    queue,
    pipeline,
    channels: new Map(channels.map((c) => [c.name, c])),
    speech: content.speech,
  });
  queue.start(async (job) =>
    job.kind === "broadcast" ? broadcasts.run(job.familyId, job.broadcastId) : { status: "done" },
  );
  const o = await store.opportunities.create(opportunity, "bench");
  const started = await broadcasts.start({ opportunityId: o.id, radiusKm: 5 }, "bench");
  await queue.idle();
  const status = await broadcasts.status(started.id as string);
  const span = ((sent.at(-1) ?? 0) - (sent[0] ?? 0)) / 1000;
  const achieved = (sent.length - 1) / span;
  // Steady state: the middle 90 % of the sends (a retried 429 at the tail stretches the span).
  const lo = Math.floor(sent.length * 0.05);
  const hi = Math.floor(sent.length * 0.95);
  const steady = (hi - lo) / (((sent[hi] ?? 0) - (sent[lo] ?? 0)) / 1000);
  console.log(
    `\nsend rate, ${SENDS} Telegram families, TELEGRAM_SEND_RATE=${RATE} against a Bot API limiting at ${RATE}/s`,
  );
  console.log(
    `  achieved ${achieved.toFixed(1)} msg/s = ${((achieved / RATE) * 100).toFixed(1)} % of the limit (aim ≥ 95 %)`,
  );
  console.log(
    `  steady state (middle 90 % of sends): ${steady.toFixed(1)} msg/s = ${((steady / RATE) * 100).toFixed(1)} % of the limit`,
  );
  console.log(
    `  429 answered: ${limited} (each waited its retry_after, then went); sent ${status?.counts.sent} of ${started.reach.total}, failed ${status?.counts.failed}`,
  );
  await queue.close();
  for (const c of channels) await c.close();
  await store.close();
  await cleanup(prefix);
  server.close();
}
await redis.quit();
