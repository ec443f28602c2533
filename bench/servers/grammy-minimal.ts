/** Baseline (the framework floor): a minimal grammY bot on Hono, one sendMessage per message. */
import { serve } from "@hono/node-server";
import { Bot, webhookCallback } from "grammy";
import { Hono } from "hono";

const bot = new Bot(process.env.TELEGRAM_BOT_TOKEN as string, {
  client: { apiRoot: process.env.TELEGRAM_API_ROOT },
  botInfo: JSON.parse(process.env.BOT_INFO as string),
});
bot.on("message:text", (ctx) => ctx.reply(ctx.message.text));
const app = new Hono();
app.post(
  "/webhooks/telegram",
  webhookCallback(bot, "hono", { secretToken: process.env.TELEGRAM_WEBHOOK_SECRET }),
);
serve({ fetch: app.fetch, port: Number(process.env.PORT) }, () => console.log("ready"));
