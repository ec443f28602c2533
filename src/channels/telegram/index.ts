import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, type Context } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { z } from "zod";
import type { Mount } from "../../app.ts";
import { type Logger, type Pipeline, redact, silentLogger } from "../../core/pipeline.ts";
import type { Speech } from "../../flows/speech.ts";
import type { Channel } from "../channel.ts";
import { safeEqual } from "../safe-equal.ts";
import { parseUpdate, telegramChatId } from "./parse.ts";
import { sendToTelegram } from "./send.ts";

/** The updates Sprout asks Telegram for (setWebhook and polling). */
export const ALLOWED_UPDATES = [
  "message",
  "edited_message",
  "callback_query",
  "my_chat_member",
] as const;

const updateShape = z.looseObject({ update_id: z.number().int().nonnegative() });

export interface TelegramChannel extends Channel {
  bot: Bot;
  /** Long polling instead of the webhook (TELEGRAM_MODE=polling, for local development). */
  startPolling(): Promise<void>;
}

/**
 * Telegram through grammY: the webhook (secret header checked in constant time), the same
 * handler for long polling, inline keyboards, auto-retry on 429/5xx, and blocks noted.
 * Pass `botInfo` (from one getMe at start) so no request ever calls getMe.
 */
export function createTelegramChannel(opts: {
  token: string;
  webhookSecret?: string;
  apiRoot: string;
  botInfo: UserFromGetMe;
  pipeline: Pipeline;
  speech: Speech;
  logger?: Logger;
  maxRetryAttempts?: number;
}): TelegramChannel {
  const logger = opts.logger ?? silentLogger;
  const bot = new Bot(opts.token, { botInfo: opts.botInfo, client: { apiRoot: opts.apiRoot } });
  bot.api.config.use(
    autoRetry({ maxRetryAttempts: opts.maxRetryAttempts ?? 3, maxDelaySeconds: 60 }),
  );
  const onUnreachable = (familyId: string, reason: string) =>
    opts.pipeline.markUnreachable(familyId, reason);

  bot.use(async (ctx: Context) => {
    const parsed = parseUpdate(ctx.update, opts.botInfo.username);
    switch (parsed.kind) {
      case "ignored":
        return;
      case "blocked":
        return onUnreachable(parsed.familyId, "blocked");
      case "group": {
        const lng = parsed.languageCode?.slice(0, 2);
        const locale = lng && opts.speech.locales.includes(lng) ? lng : opts.speech.defaultLocale;
        await ctx.api
          .sendMessage(
            parsed.chatId,
            opts.speech.t(locale, "channel.private_chat", { bot: opts.botInfo.username }),
          )
          .catch((err: unknown) =>
            logger.error("telegram group reply failed", { error: String(err) }),
          );
        return;
      }
      case "inbound": {
        const { inbound } = parsed;
        const answered = parsed.callbackQueryId
          ? ctx
              .answerCallbackQuery()
              .catch((err: unknown) =>
                logger.error("answerCallbackQuery failed", { error: String(err) }),
              )
          : undefined;
        await opts.pipeline.handle(inbound, {
          dedupeKey: `telegram:update:${ctx.update.update_id}`,
          deliver: async (out) => {
            await answered;
            const r = await sendToTelegram({
              api: ctx.api,
              chatId: parsed.chatId,
              familyId: inbound.familyId,
              messages: out,
              onUnreachable,
            });
            if (r.status === "failed")
              logger.error("telegram send failed", {
                family: redact(inbound.familyId),
                reason: r.reason,
              });
          },
        });
        await answered;
      }
    }
  });
  bot.catch((err) => logger.error("telegram update failed", { error: String(err.error) }));

  const webhook: Mount = {
    method: "POST",
    path: "/webhooks/telegram",
    async handler(c) {
      if (
        !opts.webhookSecret ||
        !safeEqual(c.req.header("x-telegram-bot-api-secret-token"), opts.webhookSecret)
      )
        return c.json(
          { error: { code: "unauthorized", message: "Bad or missing secret token" } },
          401,
        );
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return c.json({ error: { code: "bad_json", message: "The body is not valid JSON" } }, 400);
      }
      const update = updateShape.safeParse(body);
      if (!update.success)
        return c.json(
          { error: { code: "bad_update", message: "update_id: required number" } },
          400,
        );
      await bot.handleUpdate(body as Parameters<typeof bot.handleUpdate>[0]);
      return c.json({ ok: true });
    },
  };

  return {
    name: "telegram",
    bot,
    mounts: [webhook],
    send: (familyId, messages) =>
      sendToTelegram({
        api: bot.api,
        chatId: telegramChatId(familyId),
        familyId,
        messages,
        onUnreachable,
      }),
    async startPolling() {
      void bot.start({ allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false });
    },
    async close() {
      if (bot.isRunning()) await bot.stop();
    },
  };
}
