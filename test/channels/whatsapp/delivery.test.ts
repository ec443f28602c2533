import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWhatsAppChannel } from "../../../src/channels/whatsapp/index.ts";
import { createPipeline } from "../../../src/core/pipeline.ts";
import type { Outbound } from "../../../src/core/types.ts";
import { createMemoryStore } from "../../../src/store/memory.ts";
import { twilioError } from "../../fakes/twilio-api.ts";
import { realContent } from "../../helpers/content.ts";
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  FROM,
  inboundForm,
  newNumber,
  PUBLIC_URL,
  statusForm,
} from "./forms.ts";
import { type Harness, STATUS, startHarness, t, WEBHOOK } from "./harness.ts";

const HOUR = 60 * 60 * 1000;
const text = (s: string): Outbound => ({ kind: "text", text: s });

describe("WhatsApp delivery", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(createMemoryStore());
  });
  afterEach(() => h.fake.reset());
  afterAll(() => h.close());

  it("a message over 1600 characters is split on paragraphs, in order, no word cut", async () => {
    const family = newNumber();
    const paragraphs = Array.from(
      { length: 16 },
      (_, i) => `Paragraph ${i + 1}: ${"grow and play together ".repeat(10 + i).trim()}.`,
    );
    const long = paragraphs.join("\n\n");
    expect(long.length).toBeGreaterThan(3 * 1600);
    const outcome = await h.channel.send(family, [text(long), text("after")]);
    const bodies = h.bodies(family);
    expect(outcome).toEqual({ status: "sent", count: bodies.length });
    expect(bodies.length).toBeGreaterThanOrEqual(4);
    expect(bodies.at(-1)).toBe("after");
    const parts = bodies.slice(0, -1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1600);
    expect(parts.join("\n\n")).toBe(long);
    for (const part of parts) expect(part).toMatch(/^Paragraph \d+: [\s\S]*\.$/);
  });

  it("outside the 24-hour window: skipped without a template, the template with one", async () => {
    const family = newNumber();
    const lastInboundAt = Date.now() - 25 * HOUR;
    const skipped = await h.channel.send(family, [text("Weekly tip")], { lastInboundAt });
    expect(skipped).toEqual({ status: "skipped", reason: "outside-24h-window" });
    expect(h.fake.requests).toEqual([]);

    const template = {
      contentSid: "HX0123456789abcdef0123456789abcdef",
      variables: { "1": "Ana" },
    };
    const sent = await h.channel.send(family, [text("Weekly tip")], { lastInboundAt, template });
    expect(sent).toEqual({ status: "sent", count: 1 });
    expect(h.fake.messages).toEqual([
      {
        To: family,
        From: FROM,
        ContentSid: template.contentSid,
        ContentVariables: '{"1":"Ana"}',
        StatusCallback: `${PUBLIC_URL}/webhooks/whatsapp/status`,
      },
    ]);

    h.fake.reset();
    const inside = await h.channel.send(family, [text("Hello")], {
      lastInboundAt: Date.now() - 23 * HOUR,
      template,
    });
    expect(inside).toEqual({ status: "sent", count: 1 });
    expect(h.fake.messages.map((m) => [m.Body, m.ContentSid])).toEqual([["Hello", undefined]]);
  });

  it("a tagged send asks for receipts with its tag, and the signed receipt hands the tag on", async () => {
    const family = newNumber();
    const sent = await h.channel.send(family, [text("Rhyme time")], {
      lastInboundAt: Date.now(),
      tag: "0123456789abcdef",
    });
    expect(sent).toEqual({ status: "sent", count: 1 });
    const callback = h.fake.messages[0]?.StatusCallback;
    expect(callback).toBe(`${PUBLIC_URL}/webhooks/whatsapp/status?tag=0123456789abcdef`);
    const before = h.statuses.length;
    const res = await h.post(`${STATUS}?tag=0123456789abcdef`, statusForm("delivered", family));
    expect(res.status).toBe(200);
    expect(h.statuses.slice(before)).toMatchObject([
      { status: "delivered", tag: "0123456789abcdef" },
    ]);
    // The tag is part of what Twilio signs: a receipt with a tag added on the way is refused.
    const forged = await h.post(`${STATUS}?tag=ffffffffffffffff`, statusForm("delivered", family), {
      url: `${PUBLIC_URL}${STATUS}?tag=0123456789abcdef`,
    });
    expect(forged.status).toBe(403);
  });

  it("429 without Retry-After and 5xx are retried with back-off, within maxRetries", async () => {
    const family = newNumber();
    h.fake.failNext(twilioError(429, 20429, "Too Many Requests"));
    h.fake.failNext(twilioError(503, 20503, "Service Unavailable"), 2);
    expect(await h.channel.send(family, [text("one")])).toEqual({ status: "sent", count: 1 });
    expect(h.fake.requests.map((r) => r.status)).toEqual([429, 503, 503, 201]);

    h.fake.reset();
    h.fake.failNext(twilioError(500, 20500, "Internal Server Error"), 10);
    const outcome = await h.channel.send(family, [text("two"), text("three")]);
    expect(outcome).toEqual({ status: "failed", reason: "500 20500 Internal Server Error" });
    expect(h.fake.requests).toHaveLength(4);
  });

  it("blocked, invalid and unsubscribed: unreachable at once; other errors fail, unretried", async () => {
    const cases = [
      [63014, "blocked"],
      [63024, "invalid-recipient"],
      [21610, "unsubscribed"],
    ] as const;
    for (const [code, reason] of cases) {
      const family = newNumber();
      await h.post(WEBHOOK, inboundForm("inbound-text", family, { Body: "hi" }));
      h.fake.reset();
      h.fake.failNext(twilioError(400, code, "No"));
      const outcome = await h.channel.send(family, [text("a"), text("b")]);
      expect(outcome).toEqual({ status: "unreachable", reason });
      expect(h.fake.requests).toHaveLength(1);
      expect((await h.store.loadFamily(family))?.profile.unreachable).toBe(true);
    }
    const family = newNumber();
    h.fake.reset();
    h.fake.failNext(twilioError(400, 21211, `The 'To' number ${family.slice(9)} is not valid`));
    const outcome = await h.channel.send(family, [text("a")]);
    expect(outcome).toEqual({
      status: "failed",
      reason: "400 21211 The 'To' number <number> is not valid",
    });
    expect(h.fake.requests).toHaveLength(1);
  });

  it("one family's messages go one after the other, even across concurrent sends", async () => {
    const family = newNumber();
    h.fake.failNext(twilioError(429, 20429, "Too Many Requests"));
    const [first, second] = await Promise.all([
      h.channel.send(family, [text("1"), text("2"), text("3")]),
      h.channel.send(family, [text("4")]),
    ]);
    expect(first).toEqual({ status: "sent", count: 3 });
    expect(second).toEqual({ status: "sent", count: 1 });
    expect(h.bodies(family)).toEqual(["1", "2", "3", "4"]);
  });
});

describe("WhatsApp webhook deadline", () => {
  it("answers Twilio in time, then finishes sending", async () => {
    const h = await startHarness(createMemoryStore(), { replyDeadlineMs: 100 });
    const family = newNumber();
    h.fake.failNext({
      ...twilioError(429, 20429, "Too Many Requests"),
      headers: { "Retry-After": "1" },
    });
    const started = Date.now();
    expect((await h.say(family, "idea")).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(800);
    expect(h.bodies(family)).toEqual([]);
    await h.fake.waitFor((r) => r.status === 201, 3000);
    expect(h.bodies(family)).toHaveLength(1);
    await h.close();
  });
});

describe("WhatsApp network errors", () => {
  it("are retried with back-off, bounded, and end as failed (nothing throws)", async () => {
    let connections = 0;
    const server = createServer((req) => {
      connections++;
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const store = createMemoryStore();
    const channel = createWhatsAppChannel({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      from: FROM,
      publicUrl: PUBLIC_URL,
      apiBase: `http://127.0.0.1:${port}`,
      pipeline: createPipeline({ store, content: realContent() }),
      maxRetries: 2,
      retryBaseMs: 5,
    });
    const outcome = await channel.send(newNumber(), [text("hello")]);
    expect(outcome).toEqual({ status: "failed", reason: "network" });
    expect(connections).toBe(3);
    await channel.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("WhatsApp with Content templates", () => {
  const QUICK_2 = "HX00000000000000000000000000000002";
  const LIST = "HX000000000000000000000000000000aa";
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(createMemoryStore(), {
      contentSids: { quickReply: { 2: QUICK_2 }, listPicker: LIST },
    });
  });
  afterAll(() => h.close());

  it("sends quick replies and list pickers, and reads the taps back", async () => {
    const family = newNumber();
    await h.post(WEBHOOK, inboundForm("inbound-text", family, { Body: "hi" }));
    await h.post(WEBHOOK, inboundForm("inbound-text", family, { Body: "English" }));
    // The consent question has two choices: the two-button quick-reply template.
    const consent = h.fake.messages.at(-1);
    expect([consent?.Body, consent?.ContentSid]).toEqual([undefined, QUICK_2]);
    expect(JSON.parse(consent?.ContentVariables ?? "")).toEqual({
      "1": t("onboarding.consent"),
      "2": t("choice.yes"),
      "3": t("choice.no_thanks"),
      "5": "yes",
      "6": "no",
    });

    h.fake.reset();
    const tap = (id: string) =>
      h.post(WEBHOOK, inboundForm("inbound-quick-reply-button", family, { ButtonPayload: id }));
    await tap("yes");
    await h.post(WEBHOOK, inboundForm("inbound-text", family, { Body: "4" }));
    await tap("done");
    const list = h.fake.messages.at(-1);
    expect(list?.ContentSid).toBe(LIST);
    const vars = JSON.parse(list?.ContentVariables ?? "") as Record<string, string>;
    expect(vars["1"]).toBe(t("onboarding.interests"));
    expect(vars["2"]).toBe("🌿 Nature");
    expect(vars["12"]).toBe("nature");
    expect(Object.keys(vars)).toHaveLength(1 + 2 * 9);
    h.fake.reset();
    await h.post(WEBHOOK, inboundForm("inbound-list-picker-reply", family, { ListId: "nature" }));
    const more = h.fake.messages.at(-1);
    expect(more?.ContentSid).toBe(LIST);
    expect(JSON.parse(more?.ContentVariables ?? "")["1"]).toBe(
      t("onboarding.interests_more", { picked: "🌿 Nature" }),
    );
    expect((await h.store.loadFamily(family))?.profile).toMatchObject({
      locale: "en",
      consent: true,
      interests: ["nature"],
    });
  });
});
