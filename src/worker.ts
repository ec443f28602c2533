/**
 * The Cloudflare Workers entry: the same createApp, flows, catalog, languages and guards as on
 * Node. Content is bundled (src/worker/content-manifest.ts); the store is Redis over Workers' TCP
 * sockets, one connection per request and nothing shared across requests.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { UserFromGetMe } from "grammy/types";
import type { Hono } from "hono";
import { createApp } from "./app.ts";
import { createChannels, fetchBotInfo } from "./channels/index.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { buildContent, type Content } from "./content.ts";
import { createPipeline, type Logger } from "./core/pipeline.ts";
import { createMemoryStore } from "./store/memory.ts";
import { createRedisStore } from "./store/redis.ts";
import type { Store } from "./store/store.ts";
import { rawContent } from "./worker/content-manifest.ts";
import { sourcesFromRaw } from "./worker/raw-content.ts";
import { createRequestStore } from "./worker/request-store.ts";

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

const logger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: "info", msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: "error", msg, ...data })),
};

/** Per isolate: the app, built once from the first request's env (no connection is kept in it). */
let built: Promise<{ app: Hono; config: Config }> | undefined;
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

async function build(env: Record<string, unknown>): Promise<{ app: Hono; config: Config }> {
  const config = loadConfig(envStrings(env));
  const content: Content = buildContent(sourcesFromRaw(rawContent), config.DEFAULT_LOCALE);
  const pipeline = createPipeline({ store: requestStore, content, logger });
  const telegramBotInfo = config.TELEGRAM_BOT_TOKEN
    ? env.TELEGRAM_BOT_INFO
      ? (JSON.parse(String(env.TELEGRAM_BOT_INFO)) as UserFromGetMe)
      : await requestStore.run(createMemoryStore(), () => fetchBotInfo(config))
    : undefined;
  const channels = await createChannels({
    config,
    pipeline,
    speech: content.speech,
    logger,
    telegramBotInfo,
    waitUntil: (p) => void later.getStore()?.push(p),
  });
  const app = createApp({
    store: requestStore,
    adminToken: config.ADMIN_TOKEN,
    logger,
    places: content.places,
    mounts: channels.flatMap((c) => c.mounts),
  });
  return { app, config };
}

export default {
  async fetch(
    request: Request,
    env: Record<string, unknown>,
    ctx: ExecutionContext,
  ): Promise<Response> {
    built ??= build(env);
    let app: Hono;
    let config: Config;
    try {
      ({ app, config } = await built);
    } catch (err) {
      built = undefined;
      const message = err instanceof ConfigError ? err.message : String(err);
      logger.error("start-up failed", { message });
      return Response.json(
        { error: { code: "misconfigured", message: "See the Worker's logs" } },
        { status: 503 },
      );
    }
    if (!config.REDIS_URL && !isolateStore) isolateStore = createMemoryStore();
    const store = config.REDIS_URL
      ? createRedisStore({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, shortLived: true })
      : (isolateStore as Store);
    const pending: Promise<unknown>[] = [];
    try {
      return await later.run(pending, () =>
        requestStore.run(store, async () => app.fetch(request)),
      );
    } finally {
      const done = Promise.allSettled(pending);
      ctx.waitUntil(config.REDIS_URL ? done.then(() => store.close()) : done);
    }
  },
};
