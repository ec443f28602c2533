import { Api } from "grammy";
import type { Config } from "../config.ts";
import type { Logger, Pipeline } from "../core/pipeline.ts";
import type { Speech } from "../flows/speech.ts";
import type { Channel } from "./channel.ts";
import { createTelegramChannel, type TelegramChannel } from "./telegram/index.ts";

/**
 * Every channel whose credentials are set, wired to the pipeline.
 * Telegram's bot info is fetched once here (one getMe), never per request.
 */
export async function createChannels(opts: {
  config: Config;
  pipeline: Pipeline;
  speech: Speech;
  logger: Logger;
}): Promise<Channel[]> {
  const { config, pipeline, speech, logger } = opts;
  const channels: Channel[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    const botInfo = await new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT })
      .getMe()
      .catch((err: unknown) => {
        throw new Error(`TELEGRAM_BOT_TOKEN: getMe failed (${String(err)})`);
      });
    channels.push(
      createTelegramChannel({
        token: config.TELEGRAM_BOT_TOKEN,
        webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
        apiRoot: config.TELEGRAM_API_ROOT,
        botInfo,
        pipeline,
        speech,
        logger,
      }),
    );
  }
  return channels;
}

/** The Telegram channel among them, if on (for long polling). */
export const telegramOf = (channels: Channel[]) =>
  channels.find((c): c is TelegramChannel => c.name === "telegram");
