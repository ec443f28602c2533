/**
 * The Cloudflare Workers entry: the same createApp, flows, catalog, languages and guards as on
 * Node. Content is bundled (src/worker/content-manifest.ts); the store is Redis over Workers' TCP
 * sockets, one connection per request and nothing shared across requests.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { UserFromGetMe } from "grammy/types";
import type { Hono } from "hono";
import { broadcastRoutes } from "./api/broadcasts.ts";
import { createApp } from "./app.ts";
import type { Broadcasts } from "./broadcasts/broadcasts.ts";
import { createChannels, fetchBotInfo } from "./channels/index.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { buildContent, type Content } from "./content.ts";
import { createPipeline, type Logger } from "./core/pipeline.ts";
import type { Job, JobResult } from "./jobs/queue.ts";
import { createJobs } from "./jobs/wire.ts";
import { createMemoryStore } from "./store/memory.ts";
import { createRedisStore } from "./store/redis.ts";
import type { Store } from "./store/store.ts";
import { createCloudflareQueue, type QueueBinding } from "./worker/cf-queue.ts";
import { rawContent } from "./worker/content-manifest.ts";
import { sourcesFromRaw } from "./worker/raw-content.ts";
import { createRequestStore } from "./worker/request-store.ts";

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** A Cloudflare Queue message, as the consumer gets it. */
interface QueueMessage {
  body: unknown;
  attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

interface Built {
  app: Hono;
  config: Config;
  jobs: ReturnType<typeof createJobs>;
}

const logger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: "info", msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: "error", msg, ...data })),
};

/** Per isolate: the app, built once from the first request's env (no connection is kept in it). */
let built: Promise<Built> | undefined;
/** The Queue binding of the invocation being served (the same binding for the isolate's life). */
let queueBinding: QueueBinding | undefined;
/** Without REDIS_URL (local trials only): state lives as long as the isolate. */
let isolateStore: Store | undefined;
const requestStore = createRequestStore();
/** Work a request started that must finish after its answer (Slack's acked events). */
const later = new AsyncLocalStorage<Promise<unknown>[]>();

function envStrings(env: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
}

async function build(env: Record<string, unknown>): Promise<Built> {
  const config = loadConfig(envStrings(env));
  const content: Content = buildContent(sourcesFromRaw(rawContent), config.DEFAULT_LOCALE);
  const engine = { ...content, whatsappTipsTemplate: Boolean(config.TWILIO_CONTENT_TIPS) };
  const pipeline = createPipeline({ store: requestStore, content: engine, logger, tips: content });
  const telegramBotInfo = config.TELEGRAM_BOT_TOKEN
    ? env.TELEGRAM_BOT_INFO
      ? (JSON.parse(String(env.TELEGRAM_BOT_INFO)) as UserFromGetMe)
      : await requestStore.run(createMemoryStore(), () => fetchBotInfo(config))
    : undefined;
  let broadcasts: Broadcasts | undefined;
  const channels = await createChannels({
    config,
    pipeline,
    speech: content.speech,
    logger,
    telegramBotInfo,
    waitUntil: (p) => void later.getStore()?.push(p),
    onDelivery: async (tag, status) => broadcasts?.delivery(tag, status),
    community: {
      opportunities: requestStore.opportunities,
      places: content.places,
      broadcasts: () => broadcasts,
    },
  });
  const queue = createCloudflareQueue(() => {
    if (!queueBinding) throw new Error("SEND_QUEUE is not bound (see wrangler.toml)");
    return queueBinding;
  });
  const jobs = createJobs({
    config,
    content,
    store: requestStore,
    queue,
    pipeline,
    channels,
    logger,
    waitUntil: (p) => void later.getStore()?.push(p),
  });
  broadcasts = jobs.broadcasts;
  const app = createApp({
    store: requestStore,
    adminToken: config.ADMIN_TOKEN,
    logger,
    places: content.places,
    mounts: channels.flatMap((c) => c.mounts),
    api: [broadcastRoutes(jobs.broadcasts)],
  });
  return { app, config, jobs };
}

/** The app for this isolate, built once (a failed start-up is tried again next time). */
async function ready(env: Record<string, unknown>): Promise<Built> {
  if (env.SEND_QUEUE) queueBinding = env.SEND_QUEUE as QueueBinding;
  built ??= build(env);
  try {
    return await built;
  } catch (err) {
    built = undefined;
    throw err;
  }
}

/** Runs work with this invocation's own store (a fresh Redis connection), closed after. */
async function withStore<T>(
  config: Config,
  ctx: ExecutionContext,
  work: () => Promise<T>,
  pending: Promise<unknown>[] = [],
): Promise<T> {
  if (!config.REDIS_URL && !isolateStore) isolateStore = createMemoryStore();
  const store = config.REDIS_URL
    ? createRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, shortLived: true })
    : (isolateStore as Store);
  try {
    return await requestStore.run(store, work);
  } finally {
    const done = Promise.allSettled(pending);
    ctx.waitUntil(config.REDIS_URL ? done.then(() => store.close()) : done);
  }
}

/** Sends per channel a second on Workers (one consumer, messages one after another). */
const rateOf = (config: Config, channel: string) =>
  channel === "telegram"
    ? config.TELEGRAM_SEND_RATE
    : channel === "whatsapp"
      ? config.WHATSAPP_SEND_RATE
      : config.SLACK_SEND_RATE;

export default {
  async fetch(
    request: Request,
    env: Record<string, unknown>,
    ctx: ExecutionContext,
  ): Promise<Response> {
    let b: Built;
    try {
      b = await ready(env);
    } catch (err) {
      const message = err instanceof ConfigError ? err.message : String(err);
      logger.error("start-up failed", { message });
      return Response.json(
        { error: { code: "misconfigured", message: "See the Worker's logs" } },
        { status: 503 },
      );
    }
    const pending: Promise<unknown>[] = [];
    return later.run(pending, () =>
      withStore(b.config, ctx, async () => b.app.fetch(request), pending),
    );
  },

  /** The Cron Trigger (every minute): weekly tips due and reminders go to the Queue. */
  async scheduled(_event: unknown, env: Record<string, unknown>, ctx: ExecutionContext) {
    const b = await ready(env);
    await withStore(b.config, ctx, async () => {
      logger.info("cron", await b.jobs.tick());
    });
  },

  /** The Queue consumer: one send a message, paced per channel, retried by the Queue. */
  async queue(
    batch: { messages: readonly QueueMessage[] },
    env: Record<string, unknown>,
    ctx: ExecutionContext,
  ) {
    const b = await ready(env);
    // Slack progress messages updated after a send finish within this invocation.
    const pending: Promise<unknown>[] = [];
    await later.run(pending, () =>
      withStore(
        b.config,
        ctx,
        async () => {
          for (const message of batch.messages) {
            const job = message.body as Job;
            const started = Date.now();
            try {
              const result: JobResult = await b.jobs.run(job.data);
              if (result.status === "defer")
                message.retry({
                  delaySeconds: Math.min(
                    43_200,
                    Math.max(1, Math.ceil((result.until - Date.now()) / 1000)),
                  ),
                });
              else message.ack();
            } catch (err) {
              logger.error("job failed", { kind: job.data?.kind, error: String(err) });
              message.retry({ delaySeconds: Math.min(300, 2 ** message.attempts) });
            }
            const gap = 1000 / rateOf(b.config, job.channel) - (Date.now() - started);
            if (gap > 0) await new Promise((r) => setTimeout(r, gap));
          }
        },
        pending,
      ),
    );
  },
};
