/**
 * The Slack webhook's guard and delivery, end to end with the real Bolt and WebClient against
 * the fake Slack Web API: signatures, redeliveries, bots, rate limits, languages, unreachable
 * people, the slash command and proactive sends.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackChannel } from "../../../src/channels/slack/index.ts";
import { createMemoryStore } from "../../../src/store/memory.ts";
import { slackRateLimited } from "../../fakes/slack-api.ts";
import { fixture } from "../../helpers/fixtures.ts";
import {
  BOT_TOKEN,
  dmEvent,
  dmOf,
  familyOf,
  type Harness,
  newUser,
  readBlocks,
  SIGNING_SECRET,
  slackRequest,
  slashCommand,
  startHarness,
  t,
} from "./harness.ts";

describe("Slack webhook and delivery", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(createMemoryStore());
  });
  afterEach(() => h.fake.reset());
  afterAll(() => h.close());

  const apiCalls = (method?: string) =>
    h.fake.calls.filter((c) => (method ? c.method === method : c.method !== "auth.test"));

  it("answers url_verification with the challenge, only when signed", async () => {
    const body = fixture<{ challenge: string }>("slack/url-verification.json");
    const res = await h.postJson(body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: body.challenge });
    expect((await h.postJson(body, { signature: null })).status).toBe(401);
    expect(h.fake.calls).toEqual([]);
  });

  it("forged, unsigned, tampered and stale (±301 s) requests: 401, nothing processed", async () => {
    const user = newUser();
    const event = dmEvent(user, "idea");
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      await h.postJson(event, { secret: "not-the-signing-secret" }),
      await h.postJson(event, { signature: null }),
      await h.postJson(event, { signature: "" }),
      await h.postJson(event, { signature: `v0=${"0".repeat(64)}` }),
      await h.postJson(event, { timestamp: now - 301 }),
      await h.postJson(event, { timestamp: now + 301 }),
      await h.postJson(event, { headers: { "x-slack-request-timestamp": "soon" } }),
    ];
    const tampered = await h.app.request("/webhooks/slack", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(now),
        "x-slack-signature": slackRequest(JSON.stringify(event), "application/json").headers[
          "x-slack-signature"
        ] as string,
      },
      body: JSON.stringify({ ...event, event: { ...event.event, text: "delete" } }),
    });
    refused.push(tampered);
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
    await h.channel.idle();
    expect(h.fake.calls).toEqual([]);
    expect(await h.store.loadFamily(familyOf(user))).toBeNull();
    // Within the window, either way, it is accepted.
    expect((await h.postJson(event, { timestamp: now + 290 })).status).toBe(200);
    await h.channel.idle();
    expect(h.posts(user)).toHaveLength(1);
  });

  it("malformed bodies: 400, nothing processed", async () => {
    const bad = [
      await h.postJson("not an object"),
      await h.app.request("/webhooks/slack", slackRequest("{nope", "application/json")),
      await h.postForm("payload=%7Bnope"),
      await h.app.request("/webhooks/slack", slackRequest("hello", "text/plain")),
    ];
    for (const res of bad) expect(res.status).toBe(400);
    await h.channel.idle();
    expect(h.fake.calls).toEqual([]);
  });

  it("a redelivered event (same event_id, X-Slack-Retry-Num) is answered 200 and processed once", async () => {
    const user = newUser();
    const event = dmEvent(user, "idea");
    const retry = { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" };
    expect((await h.postJson(event)).status).toBe(200);
    await h.channel.idle();
    expect(h.posts(user)).toHaveLength(1);
    expect((await h.postJson(event, { headers: retry })).status).toBe(200);
    await h.channel.idle();
    expect(h.posts(user)).toHaveLength(1);

    // Even when the retry lands while the first delivery is still being worked on.
    const again = dmEvent(newUser(), "idea");
    const both = await Promise.all([h.postJson(again), h.postJson(again, { headers: retry })]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    await h.channel.idle();
    expect(h.fake.posted(again.event.channel)).toHaveLength(1);
    const family = `slack:${again.team_id}:${again.event.user}`;
    expect((await h.store.loadFamily(family))?.profile.suggestions).toBe(1);
  });

  it("ignores bot messages (our own echo and other bots) and edits: no reply, no loop", async () => {
    const echo = fixture<Record<string, unknown>>("slack/event-message-im-bot-echo.json");
    expect((await h.postJson(echo)).status).toBe(200);
    const user = newUser();
    const base = dmEvent(user, "idea");
    const otherBot = { ...base, event: { ...base.event, bot_id: "B0OTHERBOT1" } };
    const edited = {
      ...dmEvent(user, "idea"),
      event: { ...base.event, subtype: "message_changed", message: { text: "idea" } },
    };
    const botSubtype = {
      ...dmEvent(user, "idea"),
      event: { ...base.event, subtype: "bot_message" },
    };
    for (const body of [otherBot, edited, botSubtype])
      expect((await h.postJson(body)).status).toBe(200);
    await h.channel.idle();
    expect(apiCalls()).toEqual([]);
    expect(await h.store.loadFamily(familyOf(user))).toBeNull();
  });

  it("a 429 waits Retry-After, then the reply is delivered, still in order", async () => {
    const user = newUser();
    h.fake.failNext("chat.postMessage", slackRateLimited(1));
    const started = Date.now();
    await h.say(user, "hi");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(apiCalls("chat.postMessage").map((c) => c.status)).toEqual([429, 200, 200]);
    expect(h.posts(user).map((m) => m.text)).toEqual([
      t("onboarding.greeting"),
      t("language.question"),
    ]);
  });

  it("a proactive send waits for the reply under way to the same family", async () => {
    const user = newUser();
    h.fake.failNext("chat.postMessage", slackRateLimited(1));
    const reply = h.postJson(dmEvent(user, "hi"));
    await h.fake.waitFor((c) => c.method === "chat.postMessage" && c.status === 429);
    const tip = await h.channel.send(familyOf(user), [{ kind: "text", text: "A weekly tip" }]);
    expect(tip).toEqual({ status: "sent", count: 1 });
    expect((await reply).status).toBe(200);
    await h.channel.idle();
    expect(h.posts(user).map((m) => m.text)).toEqual([
      t("onboarding.greeting"),
      t("language.question"),
      "A weekly tip",
    ]);
    expect(apiCalls("conversations.open")).toEqual([]);
  });

  it("a 5xx is retried with back-off and delivered", async () => {
    const user = newUser();
    h.fake.failNext("chat.postMessage", { status: 503, body: "upstream unavailable" }, 2);
    await h.say(user, "idea");
    expect(apiCalls("chat.postMessage").map((c) => c.status)).toEqual([503, 503, 200]);
    expect(h.posts(user)).toHaveLength(1);
  });

  it("a person whose Slack locale is es-ES is answered in Spanish from the first reply", async () => {
    const user = newUser();
    h.fake.setUser(user, { locale: "es-ES" });
    await h.say(user, "👋");
    expect(h.posts(user)[0]?.text).toBe(t("onboarding.greeting", undefined, "es"));
    expect(readBlocks(h.posts(user)[1]?.blocks).sections).toEqual([
      t("language.question", undefined, "es"),
    ]);
    const info = apiCalls("users.info");
    expect(info).toHaveLength(1);
    expect(info[0]?.params).toMatchObject({ user, include_locale: "true" });
    await h.say(user, "idea");
    expect(apiCalls("users.info")).toHaveLength(1);

    const english = newUser();
    h.fake.setUser(english, { locale: "en-GB" });
    await h.say(english, "👋");
    expect(h.posts(english)[0]?.text).toBe(t("onboarding.greeting"));
  });

  it("account_inactive marks the family unreachable, without retrying", async () => {
    const user = newUser();
    await h.say(user, "hi");
    h.fake.failNext("chat.postMessage", {
      status: 200,
      body: { ok: false, error: "account_inactive" },
    });
    expect((await h.say(user, "idea")).status).toBe(200);
    expect((await h.store.loadFamily(familyOf(user)))?.profile.unreachable).toBe(true);
    expect(apiCalls("chat.postMessage").map((c) => c.status)).toEqual([200, 200, 200]);
    expect(h.logger.lines.join("\n")).toContain(
      '"status":"unreachable","reason":"account_inactive"',
    );

    const gone = newUser();
    h.fake.failNext("conversations.open", {
      status: 200,
      body: { ok: false, error: "user_not_found" },
    });
    const outcome = await h.channel.send(familyOf(gone), [{ kind: "text", text: "A tip" }]);
    expect(outcome).toEqual({ status: "unreachable", reason: "user_not_found" });
  });

  it("/sprout answers in the person's DM; /sprout alone is help", async () => {
    const user = newUser();
    const started = Date.now();
    const res = await h.postForm(slashCommand(user, "idea"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(Date.now() - started).toBeLessThan(1000);
    await h.channel.idle();
    expect(apiCalls("conversations.open")[0]?.params).toMatchObject({ users: user });
    const [activity] = h.posts(user);
    expect(activity?.channel).toBe(dmOf(user));
    expect(activity?.text).toContain("You need:");
    expect(h.fake.posted("C2147483705")).toEqual([]);

    h.fake.reset();
    await h.postForm(slashCommand(user, ""));
    await h.channel.idle();
    expect(h.posts(user).map((m) => m.text)).toEqual([t("help.text")]);
    expect(apiCalls("conversations.open")).toEqual([]);
  });

  it("sends proactively to a family by id: the DM is opened, the text escaped", async () => {
    const user = newUser();
    const outcome = await h.channel.send(familyOf(user), [
      {
        kind: "text",
        text: "Story time at the library <3 & more",
        choices: [{ id: "idea", label: "Idea" }],
      },
    ]);
    expect(outcome).toEqual({ status: "sent", count: 1 });
    const [post] = h.posts(user);
    expect(post?.text).toBe("Story time at the library &lt;3 &amp; more");
    expect(readBlocks(post?.blocks).buttons).toEqual([
      { action_id: "choice:idea", value: "idea", text: "Idea" },
    ]);
    expect(await h.channel.send("telegram:42", [{ kind: "text", text: "x" }])).toMatchObject({
      status: "failed",
    });
  });

  it("takes SLACK_API_URL with or without its trailing slash", async () => {
    const channel = createSlackChannel({
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      apiUrl: h.fake.url.replace(/\/$/, ""),
      pipeline: h.pipeline,
    });
    const user = newUser();
    expect(await channel.send(familyOf(user), [{ kind: "text", text: "Hi" }])).toEqual({
      status: "sent",
      count: 1,
    });
    expect(h.posts(user).map((m) => m.text)).toEqual(["Hi"]);
    await channel.close();
  });

  it("an interaction Sprout does not handle (a modal submission) is answered 200 at once", async () => {
    const view = fixture<Record<string, unknown>>("slack/view-submission.json");
    const started = Date.now();
    const res = await h.postForm(`payload=${encodeURIComponent(JSON.stringify(view))}`);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await h.channel.idle();
    expect(apiCalls()).toEqual([]);
  });
});
