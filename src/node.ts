/**
 * `npm start`: the webhook server on Node. Config from the environment, content from disk,
 * the store from REDIS_URL (or in memory), the channels whose credentials are set, then serve.
 */
import { serve } from "@hono/node-server";
import { broadcastRoutes } from "./api/broadcasts.ts";
import { createApp } from "./app.ts";
import type { Broadcasts } from "./broadcasts/broadcasts.ts";
import { createChannels, telegramOf } from "./channels/index.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { buildContent } from "./content.ts";
import { readContentFiles } from "./content-files.ts";
import { createPipeline, type Logger } from "./core/pipeline.ts";
import { openQueue } from "./jobs/open.ts";
import { createJobs } from "./jobs/wire.ts";
import { openStore } from "./store/open.ts";

/** How often due tips are looked for (each process; the store lets one of them take each). */
const TICK_MS = 30_000;

const logger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: "info", msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: "error", msg, ...data })),
};

async function main() {
  const config = loadConfig(process.env);
  const content = buildContent(readContentFiles(), config.DEFAULT_LOCALE);
  const store = openStore(config);
  const engine = { ...content, whatsappTipsTemplate: Boolean(config.TWILIO_CONTENT_TIPS) };
  const pipeline = createPipeline({ store, content: engine, logger, tips: content });
  let broadcasts: Broadcasts | undefined;
  const channels = await createChannels({
    config,
    pipeline,
    speech: content.speech,
    logger,
    onDelivery: async (tag, status) => broadcasts?.delivery(tag, status),
    community: {
      opportunities: store.opportunities,
      places: content.places,
      broadcasts: () => broadcasts,
    },
  });
  const queue = openQueue(config, {
    onFailed: (data, error) =>
      logger.error("job given up", { kind: data.kind, error: String(error) }),
  });
  const jobs = createJobs({ config, content, store, queue, pipeline, channels, logger });
  broadcasts = jobs.broadcasts;
  queue.start(jobs.run);
  const app = createApp({
    store,
    adminToken: config.ADMIN_TOKEN,
    logger,
    places: content.places,
    mounts: channels.flatMap((c) => c.mounts),
    api: [broadcastRoutes(jobs.broadcasts)],
  });
  const tick = () =>
    jobs.tick().catch((err: unknown) => logger.error("tick failed", { error: String(err) }));
  const ticker = setInterval(tick, TICK_MS);
  ticker.unref();
  void tick();
  const telegram = telegramOf(channels);
  if (telegram && config.TELEGRAM_MODE === "polling") await telegram.startPolling();
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    logger.info("Sprout is listening", {
      port: info.port,
      store: config.REDIS_URL ? "redis" : "memory (embedded default)",
      channels:
        channels
          .map((c) => (c.name === "telegram" ? `telegram (${config.TELEGRAM_MODE})` : c.name))
          .join(", ") || "none (set a channel's credentials)",
      activities: content.catalog.activities.length,
      languages: content.speech.locales.join(", "),
    });
  });
  const stop = () => {
    server.close();
    clearInterval(ticker);
    void queue
      .close()
      .then(() => Promise.all(channels.map((c) => c.close())))
      .then(() => store.close())
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(
    err instanceof ConfigError ? err.message : `Sprout could not start: ${(err as Error).message}`,
  );
  process.exit(1);
});
