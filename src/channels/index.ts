import { Api } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { Config } from "../config.ts";
import type { Logger, Pipeline } from "../core/pipeline.ts";
import type { Speech } from "../flows/speech.ts";
import type { Channel } from "./channel.ts";
import type { CommunityOptions } from "./slack/community.ts";
import { createSlackChannel } from "./slack/index.ts";
import { createTelegramChannel, type TelegramChannel } from "./telegram/index.ts";
import { createWhatsAppChannel } from "./whatsapp/index.ts";

/**
 * Every channel whose credentials are set, wired to the pipeline.
 * Telegram's bot info is fetched once here (one getMe), never per request.
 */
export async function createChannels(opts: {
  config: Config;
  pipeline: Pipeline;
  speech: Speech;
  logger: Logger;
  /** Telegram's bot, when already known (Workers keep it per isolate); else one getMe. */
  telegramBotInfo?: UserFromGetMe;
  /** Community workers' tools on Slack: where opportunities live, the broadcaster (late). */
  community?: Omit<CommunityOptions, "posters">;
  /** A WhatsApp delivery receipt for a message sent with a tag (a broadcast id). */
  onDelivery?: (tag: string, status: string) => Promise<void>;
  /** Keeps a channel's work going after its webhook answered (Workers: the request's waitUntil). */
  waitUntil?: (p: Promise<unknown>) => void;
}): Promise<Channel[]> {
  const { config, pipeline, speech, logger } = opts;
  const channels: Channel[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    const botInfo = opts.telegramBotInfo ?? (await fetchBotInfo(config));
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
  if (
    config.TWILIO_ACCOUNT_SID &&
    config.TWILIO_AUTH_TOKEN &&
    config.TWILIO_WHATSAPP_FROM &&
    config.PUBLIC_URL
  ) {
    channels.push(
      createWhatsAppChannel({
        accountSid: config.TWILIO_ACCOUNT_SID,
        authToken: config.TWILIO_AUTH_TOKEN,
        from: config.TWILIO_WHATSAPP_FROM,
        publicUrl: config.PUBLIC_URL,
        apiBase: config.TWILIO_API_BASE,
        contentSids: {
          quickReply: config.TWILIO_CONTENT_QUICK_REPLY,
          listPicker: config.TWILIO_CONTENT_LIST_PICKER,
        },
        pipeline,
        logger,
        onStatus: (s) => (s.tag ? opts.onDelivery?.(s.tag, s.status) : undefined),
      }),
    );
  }
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) {
    channels.push(
      createSlackChannel({
        botToken: config.SLACK_BOT_TOKEN,
        signingSecret: config.SLACK_SIGNING_SECRET,
        apiUrl: config.SLACK_API_URL,
        pipeline,
        logger,
        waitUntil: opts.waitUntil,
        ...(opts.community
          ? {
              community: {
                ...opts.community,
                posters: {
                  users: config.SLACK_POSTERS ?? [],
                  channel: config.SLACK_POSTERS_CHANNEL,
                },
              },
            }
          : {}),
      }),
    );
  }
  return channels;
}

/** One getMe, to learn the bot's name (never per request). */
export async function fetchBotInfo(config: Config): Promise<UserFromGetMe> {
  return new Api(config.TELEGRAM_BOT_TOKEN as string, { apiRoot: config.TELEGRAM_API_ROOT })
    .getMe()
    .catch((err: unknown) => {
      throw new Error(`TELEGRAM_BOT_TOKEN: getMe failed (${String(err)})`);
    });
}

/** The Telegram channel among them, if on (for long polling). */
export const telegramOf = (channels: Channel[]) =>
  channels.find((c): c is TelegramChannel => c.name === "telegram");
