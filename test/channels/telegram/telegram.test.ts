import type { UserFromGetMe } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { createTelegramChannel } from "../../../src/channels/telegram/index.ts";
import { createPipeline } from "../../../src/core/pipeline.ts";
import { createMemoryStore } from "../../../src/store/memory.ts";
import { createRedisStore } from "../../../src/store/redis.ts";
import type { Store } from "../../../src/store/store.ts";
import { FAKE_BOT_INFO, type FakeTelegram, startFakeTelegram } from "../../fakes/telegram-api.ts";
import { realContent } from "../../helpers/content.ts";
import { describeRedis, REDIS_URL } from "../../helpers/redis.ts";
import { callbackUpdate, fixtureUpdate, textUpdate } from "./updates.ts";

const SECRET = "test-webhook-secret_123";
const t = (key: string, vars?: Record<string, string>, lng = "en") =>
  realContent().speech.t(lng, key, vars);

function telegramSuite(name: string, makeStore: () => Store) {
  describe(`Telegram end to end (${name} store)`, () => {
    let fake: FakeTelegram;
    let store: Store;
    let app: ReturnType<typeof createApp>;
    let userId = 900_000;

    beforeAll(async () => {
      fake = await startFakeTelegram();
      store = makeStore();
      const pipeline = createPipeline({ store, content: realContent() });
      const channel = createTelegramChannel({
        token: fake.token,
        webhookSecret: SECRET,
        apiRoot: fake.url,
        botInfo: FAKE_BOT_INFO as unknown as UserFromGetMe,
        pipeline,
        speech: realContent().speech,
      });
      app = createApp({ store, mounts: channel.mounts });
    });
    afterEach(() => fake.reset());
    afterAll(async () => {
      await fake.close();
      await store.close();
    });

    const post = (update: unknown, secret: string | null = SECRET) =>
      app.request("/webhooks/telegram", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
        body: JSON.stringify(update),
      });
    const newUser = (language_code = "en") => ({ id: ++userId, language_code });
    const texts = (id: number) => fake.sent(id).map((m) => m.text);
    const lastMarkup = (id: number) =>
      fake.sent(id).at(-1)?.reply_markup as {
        inline_keyboard: { text: string; callback_data: string }[][];
      };
    const buttons = (id: number) =>
      lastMarkup(id)
        ?.inline_keyboard.flat()
        .map((b) => b.callback_data) ?? [];

    it("a whole conversation: first contact, buttons, an activity, feedback", async () => {
      const u = newUser();
      expect((await post(textUpdate(u, "/start"))).status).toBe(200);
      expect(texts(u.id)).toEqual([t("onboarding.greeting"), t("language.question")]);
      expect(buttons(u.id)).toEqual(realContent().speech.locales);

      fake.reset();
      expect((await post(callbackUpdate(u, "en"))).status).toBe(200);
      expect(fake.calls.filter((c) => c.method === "answerCallbackQuery")).toHaveLength(1);
      expect(texts(u.id)).toEqual([t("onboarding.consent")]);

      await post(callbackUpdate(u, "yes"));
      await post(textUpdate(u, "4"));
      await post(callbackUpdate(u, "done"));
      fake.reset();
      await post(callbackUpdate(u, "nature"));
      await post(callbackUpdate(u, "done"));
      const sent = texts(u.id);
      expect(sent[0]).toBe(t("onboarding.interests_more", { picked: "🌿 Nature" }));
      expect(sent[1]).toBe(t("onboarding.ready"));
      expect(sent[2]).toMatch(/^🌱 .+ · \d+ min\nFor your 4-year-old/);
      expect(buttons(u.id).slice(0, 2)).toEqual(["another", "tried"]);
      for (const b of lastMarkup(u.id).inline_keyboard.flat())
        expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);

      fake.reset();
      await post(callbackUpdate(u, "tried"));
      await post(callbackUpdate(u, "up"));
      expect(texts(u.id)).toEqual([t("feedback.ask"), t("feedback.thanks_up")]);
      expect(fake.calls.filter((c) => c.method === "answerCallbackQuery")).toHaveLength(2);
      const state = await store.loadFamily(`telegram:${u.id}`);
      expect(Object.values(state?.profile.feedback ?? {})).toEqual([1]);
    });

    it("replies to one family arrive in order, even when updates come at once", async () => {
      const u = newUser();
      const updates = [textUpdate(u, "hi"), textUpdate(u, "help"), textUpdate(u, "tips")];
      await Promise.all(updates.map((update) => post(update)));
      expect(texts(u.id)).toEqual([
        t("onboarding.greeting"),
        t("language.question"),
        t("help.text"),
        t("tips.intro"),
        t("tips.count"),
      ]);
    });

    it("forged or missing secret: 401, nothing processed", async () => {
      const u = newUser();
      expect((await post(textUpdate(u, "hi"), "wrong-secret")).status).toBe(401);
      expect((await post(textUpdate(u, "hi"), null)).status).toBe(401);
      expect((await post(textUpdate(u, "hi"), `${SECRET}x`)).status).toBe(401);
      expect(fake.calls).toEqual([]);
      expect(await store.loadFamily(`telegram:${u.id}`)).toBeNull();
    });

    it("malformed body 400, not an update 400", async () => {
      const bad = await app.request("/webhooks/telegram", {
        method: "POST",
        headers: { "x-telegram-bot-api-secret-token": SECRET },
        body: "{not json",
      });
      expect(bad.status).toBe(400);
      expect((await post({ hello: 1 })).status).toBe(400);
    });

    it("a redelivered update is answered 200 and processed once", async () => {
      const u = newUser();
      const update = textUpdate(u, "idea");
      expect((await post(update)).status).toBe(200);
      expect((await post(update)).status).toBe(200);
      expect(fake.sent(u.id)).toHaveLength(1);
    });

    it("a 429 waits retry_after and the message is delivered", async () => {
      const u = newUser();
      fake.failNext("sendMessage", {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: "Too Many Requests: retry after 1",
          parameters: { retry_after: 1 },
        },
      });
      const started = Date.now();
      await post(textUpdate(u, "idea"));
      expect(fake.sent(u.id)).toHaveLength(1);
      expect(fake.calls.filter((c) => c.method === "sendMessage" && c.status === 429)).toHaveLength(
        1,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it("a Spanish speaker is answered in Spanish from the first reply", async () => {
      const u = newUser("es");
      await post(textUpdate(u, "hola"));
      expect(texts(u.id)[0]).toBe(t("onboarding.greeting", undefined, "es"));
      const v = newUser("es-MX");
      await post(textUpdate(v, "/idea"));
      expect(texts(v.id)[0]).toContain("Necesitas:");
    });

    it("a blocked user (403) is marked unreachable; so is one who blocks the bot", async () => {
      const u = newUser();
      fake.failNext("sendMessage", {
        status: 403,
        body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
      });
      expect((await post(textUpdate(u, "idea"))).status).toBe(200);
      expect((await store.loadFamily(`telegram:${u.id}`))?.profile.unreachable).toBe(true);
      expect(fake.calls.filter((c) => c.method === "sendMessage")).toHaveLength(1);

      const v = newUser();
      await post(textUpdate(v, "idea"));
      await post(fixtureUpdate("update-my-chat-member-blocked", v));
      expect((await store.loadFamily(`telegram:${v.id}`))?.profile.unreachable).toBe(true);
    });

    it("photos get a kind answer; an edited message is read again", async () => {
      const u = newUser();
      await post(fixtureUpdate("update-photo", u));
      expect(texts(u.id)).toEqual([t("idle.media")]);
      fake.reset();
      const edited = fixtureUpdate("update-edited-message", u) as unknown as {
        edited_message: { text: string };
      };
      edited.edited_message.text = "help";
      await post(edited);
      expect(texts(u.id)).toEqual([t("help.text")]);
    });

    it("in a group: answers only when addressed, with an invitation to a private chat", async () => {
      const u = newUser();
      await post(fixtureUpdate("update-group-command", u));
      const group = fake.sent().map((m) => m.text);
      expect(group).toEqual([t("channel.private_chat", { bot: FAKE_BOT_INFO.username })]);
      fake.reset();
      const plain = fixtureUpdate("update-group-command", u) as unknown as {
        message: { text: string; entities?: unknown };
      };
      plain.message.text = "anyone up for the park?";
      delete plain.message.entities;
      await post(plain);
      expect(fake.calls).toEqual([]);
    });

    it("a shared location is understood", async () => {
      const u = newUser();
      await post(textUpdate(u, "idea"));
      fake.reset();
      await post(fixtureUpdate("update-location", u));
      expect(texts(u.id)).toEqual([t("idle.location")]);
    });
  });
}

telegramSuite("memory", () => createMemoryStore());
describeRedis("with Redis", () => {
  telegramSuite("redis", () =>
    createRedisStore({ url: REDIS_URL as string, prefix: `test-tg-${Date.now()}:` }),
  );
});
