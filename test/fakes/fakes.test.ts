/**
 * Proves each fake platform API works with the real SDK pointed at it (no network).
 * One fake per platform, `reset()` between tests.
 */
import { existsSync } from "node:fs";
import { autoRetry } from "@grammyjs/auto-retry";
import { ErrorCode, LogLevel, type WebAPIPlatformError, WebClient } from "@slack/web-api";
import { Api, Bot, GrammyError, InputFile } from "grammy";
import twilio from "twilio";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOriginRewritingHttpClient } from "../../src/channels/whatsapp/http-client.ts";
import { FIXTURES, fixture as readFixture } from "../helpers/fixtures.ts";
import { type FakeSlack, slackRateLimited, startFakeSlack } from "./slack-api.ts";
import { FAKE_BOT_INFO, type FakeTelegram, startFakeTelegram } from "./telegram-api.ts";
import { type FakeTwilio, startFakeTwilio, twilioError } from "./twilio-api.ts";

const HAS_FIXTURES = existsSync(FIXTURES);
const fixture = (path: string) => readFixture<Record<string, unknown>>(path);
const keysOf = (o: unknown) => Object.keys(o as object).sort();

describe("fake Telegram Bot API with grammY", () => {
  const CHAT = 123456789;
  let fake: FakeTelegram;
  let api: Api;
  beforeAll(async () => {
    fake = await startFakeTelegram();
    api = new Api(fake.token, { apiRoot: fake.url });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it("answers getMe, sendMessage, editMessageText and answerCallbackQuery", async () => {
    expect(await api.getMe()).toEqual(FAKE_BOT_INFO);
    const keyboard = { inline_keyboard: [[{ text: "Yes", callback_data: "yes" }]] };
    const first = await api.sendMessage(CHAT, "Olá", { reply_markup: keyboard });
    const second = await api.sendMessage(CHAT, "Tudo bem?");
    expect(first).toMatchObject({ chat: { id: CHAT, type: "private" }, reply_markup: keyboard });
    expect(second.message_id).toBe(first.message_id + 1);
    expect(fake.sent(CHAT)).toEqual([
      { chat_id: CHAT, text: "Olá", reply_markup: keyboard },
      { chat_id: CHAT, text: "Tudo bem?" },
    ]);
    await api.editMessageText(CHAT, first.message_id, "Olá!");
    await expect(api.editMessageText(CHAT, first.message_id, "Olá!")).rejects.toThrow(
      /not modified/,
    );
    expect(await api.answerCallbackQuery("cbq-1")).toBe(true);
  });

  it("surfaces failNext 429 / 403 and a wrong token as GrammyError", async () => {
    // Bodies as in fixtures/telegram/error-429-flood.json (retry_after made small) and error-403-blocked.json.
    const description = "Too Many Requests: retry after 1";
    const flood = { ok: false, error_code: 429, description, parameters: { retry_after: 1 } };
    fake.failNext("sendMessage", { status: 429, body: flood });
    const error = await api.sendMessage(CHAT, "hi").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(429);
    expect((error as GrammyError).parameters.retry_after).toBe(1);

    const blocked = {
      ok: false,
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    };
    fake.failNext("sendMessage", { status: 403, body: blocked });
    await expect(api.sendMessage(CHAT, "hi")).rejects.toThrow(/blocked by the user/);
    await api.sendMessage(CHAT, "after");
    expect(fake.sent().map((m) => m.text)).toEqual(["after"]);
    expect(fake.calls.map((c) => c.status)).toEqual([429, 403, 200]);

    const wrong = new Api("1:wrong", { apiRoot: fake.url });
    await expect(wrong.getMe()).rejects.toMatchObject({
      error_code: 401,
      description: "Unauthorized",
    });
  });

  it("lets @grammyjs/auto-retry retry a 429 (retry_after 0 keeps it instant)", async () => {
    const retrying = new Api(fake.token, { apiRoot: fake.url });
    retrying.config.use(autoRetry({ maxRetryAttempts: 2 }));
    const description = "Too Many Requests: retry after 0";
    const body = { ok: false, error_code: 429, description, parameters: { retry_after: 0 } };
    fake.failNext("sendMessage", { status: 429, body });
    await retrying.sendMessage(CHAT, "retried");
    expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
  });

  it("answers unknown methods with 404 and parses multipart uploads", async () => {
    const photo = new InputFile(new Uint8Array([1, 2, 3]), "kid.png");
    await expect(api.sendPhoto(CHAT, photo, { caption: "art" })).rejects.toMatchObject({
      error_code: 404,
      description: "Not Found: method not found",
    });
    expect(fake.calls[0]?.params).toMatchObject({ chat_id: String(CHAT), caption: "art" });
  });

  it("feeds queued updates to a long-polling Bot", async () => {
    const bot = new Bot(fake.token, { client: { apiRoot: fake.url } });
    bot.on("message:text", (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const running = bot.start();
    const from = { id: CHAT, is_bot: false, first_name: "Ana" };
    const chat = { id: CHAT, type: "private" };
    fake.queueUpdate({
      update_id: 10000001,
      message: { message_id: 1365, date: 1767225600, chat, from, text: "oi" },
    });
    await fake.waitFor((c) => c.method === "sendMessage");
    await bot.stop();
    await running;
    expect(fake.sent(CHAT)).toEqual([{ chat_id: CHAT, text: "echo: oi" }]);
    const methods = new Set(fake.calls.map((c) => c.method));
    expect([...methods]).toEqual(["getMe", "deleteWebhook", "getUpdates", "sendMessage"]);
  });

  it.skipIf(!HAS_FIXTURES)("shapes getMe and sendMessage results like the fixtures", async () => {
    const message = await api.sendMessage(CHAT, "x");
    expect(keysOf(message)).toEqual(keysOf(fixture("telegram/sendMessage-response.json").result));
    expect(FAKE_BOT_INFO).toEqual(fixture("telegram/getMe-response.json").result);
  });
});

describe("fake Twilio REST API with the twilio client", () => {
  const SID = "AC00000000000000000000000000000000";
  const TOKEN = "test_auth_token_0123456789abcdef";
  const FROM = "whatsapp:+14155238886";
  const TO = "whatsapp:+5511900000001";
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  /** The TWILIO_API_BASE contract, as production code would read it. */
  const clientFromEnv = (env: Record<string, string | undefined>) => {
    const base = env.TWILIO_API_BASE;
    return twilio(SID, TOKEN, base ? { httpClient: createOriginRewritingHttpClient(base) } : {});
  };

  it("creates messages through the origin-rewriting httpClient", async () => {
    const client = clientFromEnv({ TWILIO_API_BASE: fake.url });
    const message = await client.messages.create({ from: FROM, to: TO, body: "Olá Ana" });
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({ to: TO, from: FROM, body: "Olá Ana", status: "queued" });
    const contentVariables = JSON.stringify({ 1: "Ana" });
    await client.messages.create({ from: FROM, to: TO, contentSid: "HX123", contentVariables });
    expect(fake.messages).toEqual([
      { To: TO, From: FROM, Body: "Olá Ana" },
      { To: TO, From: FROM, ContentSid: "HX123", ContentVariables: '{"1":"Ana"}' },
    ]);
  });

  it("surfaces failNext 429 / 400 and bad credentials as RestException", async () => {
    const client = clientFromEnv({ TWILIO_API_BASE: fake.url });
    const send = (c = client) => c.messages.create({ from: FROM, to: TO, body: "x" });
    fake.failNext(twilioError(429, 20429, "Too Many Requests"));
    const error = await send().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({ status: 429, code: 20429, message: "Too Many Requests" });
    expect(fake.requests.map((r) => r.status)).toEqual([429]);
    expect(fake.messages).toEqual([]);

    fake.failNext(twilioError(400, 63024, "Invalid message recipient"));
    await expect(send()).rejects.toMatchObject({ status: 400, code: 63024 });

    const wrong = twilio(SID, "nope", { httpClient: createOriginRewritingHttpClient(fake.url) });
    await expect(send(wrong)).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  it("takes RequestClient options (autoRetry) and rewrites every Twilio host", async () => {
    const httpClient = createOriginRewritingHttpClient(fake.url, {
      autoRetry: true,
      maxRetryDelay: 20,
    });
    const client = twilio(SID, TOKEN, { httpClient });
    fake.failNext(twilioError(429, 20429, "Too Many Requests"));
    await client.messages.create({ from: FROM, to: TO, body: "retried" });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 201]);
    // content.twilio.com goes to the fake too (which has no such route).
    await expect(client.content.v1.contents.list()).rejects.toMatchObject({ status: 404 });
    const uri = "https://api.twilio.com/2010-04-01/Accounts.json?a=1";
    expect(httpClient.rewrite(uri)).toBe(`${fake.url}/2010-04-01/Accounts.json?a=1`);
    const prefixed = createOriginRewritingHttpClient("http://proxy:8080/twilio/");
    expect(prefixed.rewrite("https://content.twilio.com/v1/Content")).toBe(
      "http://proxy:8080/twilio/v1/Content",
    );
  });

  it.skipIf(!HAS_FIXTURES)("shapes the Message resource like the fixture", async () => {
    const response = await fetch(`${fake.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${SID}:${TOKEN}`)}` },
      body: new URLSearchParams({ To: TO, From: FROM, Body: "x" }),
    });
    expect(response.status).toBe(201);
    const expected = fixture("twilio/rest-message-create-response.json");
    expect(keysOf(await response.json())).toEqual(keysOf(expected));
  });
});

describe("fake Slack Web API with WebClient", () => {
  const TOKEN = "xoxb-0000-fake";
  const USER = "U2147483697";
  let fake: FakeSlack;
  const client = (extra: { rejectRateLimitedCalls?: boolean; token?: string } = {}) =>
    new WebClient(extra.token ?? TOKEN, {
      slackApiUrl: fake.url,
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
      rejectRateLimitedCalls: extra.rejectRateLimitedCalls ?? false,
    });
  beforeAll(async () => {
    fake = await startFakeSlack({ botToken: TOKEN });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it("posts messages, opens DMs and modals, and reports user locale", async () => {
    const web = client();
    expect(await web.auth.test()).toMatchObject({ ok: true, user_id: "U0BOTUSER1" });
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Hi*" } }];
    const posted = await web.chat.postMessage({ channel: "C123", text: "Hi", blocks });
    expect(posted).toMatchObject({ ok: true, channel: "C123", message: { text: "Hi", blocks } });
    expect(posted.ts).toMatch(/^\d+\.\d{6}$/);
    expect((await web.chat.postMessage({ channel: USER, text: "psst" })).channel).toBe(
      "D2147483697",
    );
    expect(fake.posted("C123")).toEqual([{ channel: "C123", text: "Hi", blocks, ts: posted.ts }]);
    expect(fake.posted("D2147483697").map((m) => m.text)).toEqual(["psst"]);

    fake.setUser(USER, { locale: "pt-BR", tz: "America/Sao_Paulo" });
    const info = await web.users.info({ user: USER, include_locale: true });
    expect(info.user).toMatchObject({
      locale: "pt-BR",
      tz: "America/Sao_Paulo",
      tz_offset: -10800,
    });
    expect((await web.users.info({ user: USER })).user).not.toHaveProperty("locale");

    expect((await web.conversations.open({ users: USER })).channel?.id).toBe("D2147483697");
    const title = { type: "plain_text" as const, text: "T" };
    const opened = await web.views.open({
      trigger_id: "1.2",
      view: { type: "modal", title, blocks: [] },
    });
    expect(opened.view).toMatchObject({ type: "modal", title });
  });

  it("answers a wrong token with invalid_auth", async () => {
    const error = await client({ token: "xoxb-wrong" })
      .auth.test()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.PlatformError });
    expect((error as WebAPIPlatformError).data.error).toBe("invalid_auth");
  });

  it("rate limit + rejectRateLimitedCalls: WebAPIRateLimitedError at once", async () => {
    fake.failNext("chat.postMessage", slackRateLimited(1));
    await expect(
      client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: "C1", text: "x" }),
    ).rejects.toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 1 });
    expect(fake.posted()).toEqual([]);
  });

  it("rate limit by default: WebClient sleeps Retry-After, then (retries: 0) a RequestError", async () => {
    fake.failNext("chat.postMessage", slackRateLimited(1));
    const started = Date.now();
    await expect(client().chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({
      code: ErrorCode.RequestError,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });
});
