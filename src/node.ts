/**
 * `npm start`: the webhook server on Node. Config from the environment, content from disk,
 * the store from REDIS_URL (or in memory), then serve.
 */
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { ConfigError, enabledChannels, loadConfig } from "./config.ts";
import { buildContent } from "./content.ts";
import { readContentFiles } from "./content-files.ts";
import type { Logger } from "./core/pipeline.ts";
import { openStore } from "./store/open.ts";

const logger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ level: "info", msg, ...data })),
  error: (msg, data) => console.error(JSON.stringify({ level: "error", msg, ...data })),
};

function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const content = buildContent(readContentFiles(), config.DEFAULT_LOCALE);
  const store = openStore(config);
  const app = createApp({ store, adminToken: config.ADMIN_TOKEN, logger });
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    logger.info("Sprout is listening", {
      port: info.port,
      store: config.REDIS_URL ? "redis" : "memory (embedded default)",
      channels: enabledChannels(config).join(", ") || "none (set a channel's credentials)",
      activities: content.catalog.activities.length,
      languages: content.speech.locales.join(", "),
    });
  });
  const stop = () => {
    server.close();
    void store.close().finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main();
