/** Baseline (the framework floor): a minimal grammY bot on Hono, one sendMessage per message. */
import { serve } from "@hono/node-server";
import { Bot, webhookCallback } from "grammy";
import { Hono } from "hono";

const bot = new Bot(process.env.TELEGRAM_BOT_TOKEN as string, {
  client: { apiRoot: process.env.TELEGRAM_API_ROOT },
  botInfo: JSON.parse(process.env.BOT_INFO as string),
});
/** BIG_REPLY=1: answer with a reply the size of an activity and its keyboard (a like-for-like floor). */
const big = process.env.BIG_REPLY === "1";
const activity = `🌱 Puddle boats · 15 min\nFor your 4-year-old · outdoors\n\n${"x".repeat(560)}`;
const keyboard = {
  inline_keyboard: [
    [
      { text: "Another idea", callback_data: "another" },
      { text: "We tried it", callback_data: "tried" },
    ],
    [
      { text: "Calmer", callback_data: "calmer" },
      { text: "Indoors", callback_data: "indoors" },
    ],
    [{ text: "Shorter", callback_data: "shorter" }],
  ],
};
bot.on("message:text", (ctx) =>
  big ? ctx.reply(activity, { reply_markup: keyboard }) : ctx.reply(ctx.message.text),
);
const app = new Hono();
app.post(
  "/webhooks/telegram",
  webhookCallback(bot, "hono", { secretToken: process.env.TELEGRAM_WEBHOOK_SECRET }),
);
serve({ fetch: app.fetch, port: Number(process.env.PORT) }, () => console.log("ready"));
