/** The custom Bolt receiver on its own: ack timing, fallbacks, errors, waitUntil, retries. */
import type { App, ReceiverEvent } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.ts";
import { HonoReceiver } from "../../../src/channels/slack/receiver.ts";
import { createMemoryStore } from "../../../src/store/memory.ts";
import { fixture } from "../../helpers/fixtures.ts";
import { dmEvent, newUser, recordingLogger, SIGNING_SECRET, slackRequest } from "./harness.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A receiver mounted on the app, driving `processEvent` instead of a Bolt App. */
function mount(
  processEvent: (event: ReceiverEvent) => Promise<void>,
  extra: { prepare?: () => Promise<void>; ackTimeoutMs?: number } = {},
) {
  const logger = recordingLogger();
  const handedOver: Promise<unknown>[] = [];
  const receiver = new HonoReceiver({
    signingSecret: SIGNING_SECRET,
    logger,
    now: Date.now,
    waitUntil: (p) => void handedOver.push(p),
    ...extra,
  });
  receiver.init({ processEvent } as unknown as App);
  const app = createApp({
    store: createMemoryStore(),
    mounts: [{ method: "POST", path: "/webhooks/slack", handler: receiver.handler }],
  });
  const post = (body: unknown, headers?: Record<string, string>) =>
    Promise.resolve(
      app.request(
        "/webhooks/slack",
        slackRequest(JSON.stringify(body), "application/json", { headers }),
      ),
    );
  return { receiver, logger, handedOver, post, app };
}

describe("HonoReceiver", () => {
  it("answers 200 after the ack timeout when nothing acks; the work goes on, tracked", async () => {
    let finished = false;
    const r = mount(
      async () => {
        await sleep(400);
        finished = true;
      },
      { ackTimeoutMs: 100 },
    );
    const started = Date.now();
    const res = await r.post(dmEvent(newUser(), "hi"));
    const ms = Date.now() - started;
    expect(res.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(90);
    expect(ms).toBeLessThan(350);
    expect(finished).toBe(false);
    expect(r.handedOver).toHaveLength(1);
    await r.receiver.idle();
    expect(finished).toBe(true);
    expect(r.logger.lines.join("\n")).toContain("answered before ack");
  });

  it("answers as soon as ack is called, with what was acked", async () => {
    const acks: unknown[] = [undefined, "ok", { response_action: "errors", errors: { a: "b" } }];
    for (const body of acks) {
      const r = mount(async (event) => {
        await event.ack(body);
        await sleep(300);
      });
      const started = Date.now();
      const res = await r.post(dmEvent(newUser(), "hi"));
      expect(Date.now() - started).toBeLessThan(250);
      expect(res.status).toBe(200);
      const text = await res.text();
      if (body === undefined) expect(text).toBe("");
      else if (typeof body === "string") expect(text).toBe("ok");
      else {
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(JSON.parse(text)).toEqual(body);
      }
      await r.receiver.idle();
    }
  });

  it("passes the body and Slack's retry headers to Bolt", async () => {
    const seen: ReceiverEvent[] = [];
    const r = mount(async (event) => {
      seen.push(event);
      await event.ack();
    });
    const event = dmEvent(newUser(), "hi");
    await r.post(event, { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_error" });
    await r.post(event);
    expect(seen[0]).toMatchObject({ body: event, retryNum: 2, retryReason: "http_error" });
    expect(seen[1]?.retryNum).toBeUndefined();
    expect(seen[1]?.retryReason).toBeUndefined();
  });

  it("a failure before ack is logged and answered 200 at once", async () => {
    const r = mount(async () => {
      throw new Error("listener broke");
    });
    const started = Date.now();
    const res = await r.post(dmEvent(newUser(), "hi"));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(500);
    await r.receiver.idle();
    expect(r.logger.lines.join("\n")).toContain("listener broke");
  });

  it("prepares once, after verification; a failed preparation is tried again", async () => {
    let prepared = 0;
    const processed: unknown[] = [];
    const r = mount(
      async (event) => {
        processed.push(event.body);
        await event.ack();
      },
      {
        prepare: async () => {
          prepared++;
          if (prepared === 1) throw new Error("auth.test failed");
        },
      },
    );
    const unsigned = await r.app.request(
      "/webhooks/slack",
      slackRequest("{}", "application/json", { signature: null }),
    );
    expect(unsigned.status).toBe(401);
    expect(prepared).toBe(0);
    expect((await r.post(dmEvent(newUser(), "a"))).status).toBe(200);
    await r.receiver.idle();
    expect(processed).toHaveLength(0);
    await r.post(dmEvent(newUser(), "b"));
    await r.post(dmEvent(newUser(), "c"));
    await r.receiver.idle();
    expect(prepared).toBe(2);
    expect(processed).toHaveLength(2);
  });

  it("answers Slack's unsigned ssl_check without processing; url_verification is not processed", async () => {
    const processed: unknown[] = [];
    const r = mount(async (event) => void processed.push(event));
    const ssl = await r.app.request("/webhooks/slack", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "ssl_check=1&token=abc",
    });
    expect(ssl.status).toBe(200);
    const challenge = fixture<{ challenge: string }>("slack/url-verification.json");
    expect(await (await r.post(challenge)).json()).toEqual({ challenge: challenge.challenge });
    expect(processed).toEqual([]);
    expect(r.handedOver).toEqual([]);
  });
});
