import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackUpdate, textUpdate } from "../channels/telegram/updates.ts";
import { FAKE_BOT_INFO, type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api.ts";
import { realContent } from "../helpers/content.ts";
import { REDIS_URL } from "../helpers/redis.ts";
import { type LocalWorker, startWorker } from "../helpers/wrangler.ts";

const SECRET = "worker-secret_1";
const t = (key: string, vars?: Record<string, string>) => realContent().speech.t("en", key, vars);

/** The Telegram end-to-end path, on the Worker in workerd (wrangler dev), with grammY and Redis. */
describe("Telegram on the Cloudflare Worker (workerd)", () => {
  let fake: FakeTelegram;
  let worker: LocalWorker;
  let userId = 880_000 + Math.floor(Math.random() * 10_000);

  beforeAll(async () => {
    fake = await startFakeTelegram();
    worker = await startWorker({
      NODE_ENV: REDIS_URL ? "production" : "development",
      ...(REDIS_URL ? { REDIS_URL } : {}),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_BOT_INFO: JSON.stringify(FAKE_BOT_INFO),
    });
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await fake?.close();
  });

  const post = (update: unknown, secret = SECRET) =>
    fetch(`${worker.url}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
      body: JSON.stringify(update),
    });

  it("answers health and readiness", async () => {
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
  });

  it("a conversation from first contact to an activity and feedback", async () => {
    const u = { id: ++userId, language_code: "en" };
    expect((await post(textUpdate(u, "hi"))).status).toBe(200);
    expect(fake.sent(u.id).map((m) => m.text)).toEqual([
      t("onboarding.greeting"),
      t("language.question"),
    ]);
    await post(callbackUpdate(u, "en"));
    await post(callbackUpdate(u, "yes"));
    await post(textUpdate(u, "4"));
    await post(callbackUpdate(u, "done"));
    await post(callbackUpdate(u, "done"));
    const texts = fake.sent(u.id).map((m) => m.text);
    expect(texts.at(-1)).toMatch(/^🌱 .+ · \d+ min\nFor your 4-year-old/);
    await post(callbackUpdate(u, "tried"));
    await post(callbackUpdate(u, "up"));
    expect(fake.sent(u.id).at(-1)?.text).toBe(t("feedback.thanks_up"));
    expect(
      fake.calls.filter((c) => c.method === "answerCallbackQuery").length,
    ).toBeGreaterThanOrEqual(5);
    expect(fake.calls.filter((c) => c.method === "getMe")).toEqual([]);
  });

  it("forged secret: 401 and nothing sent", async () => {
    fake.reset();
    const res = await post(textUpdate({ id: ++userId }, "hi"), "forged");
    expect(res.status).toBe(401);
    expect(fake.calls).toEqual([]);
  });

  it("a redelivered update is processed once", async () => {
    fake.reset();
    const u = { id: ++userId };
    const update = textUpdate(u, "idea");
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    expect(fake.sent(u.id)).toHaveLength(1);
  });
});
