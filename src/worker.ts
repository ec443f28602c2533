/**
 * The Cloudflare Workers entry: the same createApp, flows, catalog, languages and guards as on
 * Node. Content is bundled (src/worker/content-manifest.ts); the store is Redis over Workers' TCP
 * sockets, one connection per request and nothing shared across requests.
 */
import type { UserFromGetMe } from "grammy/types";
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

interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}

const logger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: "info", msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: "error", msg, ...data })),
};

/** Per isolate: parsed content and the bot's identity (immutable; no connection is kept). */
let content: Content | undefined;
let botInfo: Promise<UserFromGetMe> | undefined;
/** Without REDIS_URL (local trials only): state lives as long as the isolate. */
let isolateStore: Store | undefined;

function envStrings(env: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === "string")) as Record<
    string,
    string
  >;
}

function openStore(config: Config): { store: Store; perRequest: boolean } {
  if (config.REDIS_URL)
    return { store: createRedisStore({ url: config.REDIS_URL }), perRequest: true };
  isolateStore ??= createMemoryStore();
  return { store: isolateStore, perRequest: false };
}

export default {
  async fetch(
    request: Request,
    env: Record<string, unknown>,
    ctx: ExecutionContext,
  ): Promise<Response> {
    let config: Config;
    try {
      config = loadConfig(envStrings(env));
    } catch (err) {
      const message = err instanceof ConfigError ? err.message : String(err);
      logger.error("configuration", { message });
      return Response.json(
        { error: { code: "misconfigured", message: "See the Worker's logs" } },
        { status: 503 },
      );
    }
    content ??= buildContent(sourcesFromRaw(rawContent), config.DEFAULT_LOCALE);
    const { store, perRequest } = openStore(config);
    try {
      const pipeline = createPipeline({ store, content, logger });
      if (config.TELEGRAM_BOT_TOKEN && !botInfo) {
        botInfo = env.TELEGRAM_BOT_INFO
          ? Promise.resolve(JSON.parse(String(env.TELEGRAM_BOT_INFO)) as UserFromGetMe)
          : fetchBotInfo(config);
        botInfo.catch(() => {
          botInfo = undefined;
        });
      }
      const channels = await createChannels({
        config,
        pipeline,
        speech: content.speech,
        logger,
        telegramBotInfo: botInfo ? await botInfo : undefined,
      });
      const app = createApp({
        store,
        adminToken: config.ADMIN_TOKEN,
        logger,
        mounts: channels.flatMap((c) => c.mounts),
      });
      return await app.fetch(request);
    } finally {
      if (perRequest) ctx.waitUntil(store.close());
    }
  },
};
