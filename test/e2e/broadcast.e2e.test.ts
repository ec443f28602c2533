import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signSlackRequest } from "../../src/channels/slack/verify.ts";
import { newProfile, type Profile } from "../../src/core/types.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import { buttonPress, viewSubmission } from "../channels/slack/harness.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.ts";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api.ts";
import { type FakeTwilio, startFakeTwilio } from "../fakes/twilio-api.ts";
import { realContent } from "../helpers/content.ts";
import { deletePrefix, describeRedis, REDIS_URL } from "../helpers/redis.ts";

/** A JSON answer, read loosely by the test. */
// biome-ignore lint/suspicious/noExplicitAny: test code reads nested JSON fields
type Json = Record<string, any>;

const NODE_ENTRY = join(import.meta.dirname, "../../src/node.ts");
const TOKEN = "e2e-admin-token-0123456789";
const ACCOUNT = "AC00000000000000000000000000000e2e";
const AUTH = "e2e-auth-token";
const TELEGRAM_RATE = 10;

function start(env: Record<string, string>): Promise<{ child: ChildProcess; log: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NODE_ENTRY], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    const log: string[] = [];
    const timer = setTimeout(() => reject(new Error(`did not start: ${log.join("")}`)), 20_000);
    child.stdout.on("data", (d: Buffer) => {
      log.push(d.toString());
      if (d.toString().includes("Sprout is listening")) {
        clearTimeout(timer);
        resolve({ child, log });
      }
    });
    child.stderr.on("data", (d: Buffer) => log.push(d.toString()));
    child.on("exit", () => clearTimeout(timer));
  });
}

describeRedis("a broadcast shared by two server processes on one Redis", () => {
  const prefix = `e2e-${Math.random().toString(36).slice(2)}:`;
  const base = 500_000_000 + Math.floor(Math.random() * 1e6) * 100;
  let telegram: FakeTelegram;
  let twilio: FakeTwilio;
  let slack: FakeSlack;
  const SLACK_TOKEN = "xoxb-e2e-0000-fake";
  const SLACK_SECRET = "e2e_slack_signing_secret_0123456";
  const WORKER = "U0E2EWORK";
  const running: ChildProcess[] = [];
  const ports = [0, 1, 2].map((k) => 17_000 + k * 300 + Math.floor(Math.random() * 300));
  const env = () => ({
    NODE_ENV: "production",
    REDIS_URL: REDIS_URL as string,
    REDIS_PREFIX: prefix,
    ADMIN_TOKEN: TOKEN,
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_SECRET: "e2e-secret",
    TELEGRAM_API_ROOT: telegram.url,
    TELEGRAM_SEND_RATE: String(TELEGRAM_RATE),
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: AUTH,
    TWILIO_WHATSAPP_FROM: "whatsapp:+14155238886",
    TWILIO_API_BASE: twilio.url,
    PUBLIC_URL: "https://sprout.example.org",
    WHATSAPP_SEND_RATE: "5",
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: slack.url,
    SLACK_POSTERS: WORKER,
  });

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    twilio = await startFakeTwilio({ accountSid: ACCOUNT, authToken: AUTH });
    slack = await startFakeSlack({ botToken: SLACK_TOKEN });
    slack.setUser(WORKER, { locale: "en-GB", tz: "Europe/London" });
  });
  afterAll(async () => {
    for (const c of running) c.kill("SIGKILL");
    await telegram?.close();
    await twilio?.close();
    await slack?.close();
    await deletePrefix(prefix);
  });

  it("reaches exactly the fitting families, once each, in their languages, at the pace set — even when one process is killed mid-way", async () => {
    const store = createRedisStore({ url: REDIS_URL as string, prefix });
    const fits: string[] = [];
    const misfits: string[] = [];
    const outside: string[] = [];
    const locales = ["en", "es", "uk", "ar"];
    const add = async (id: string, over: Partial<Profile>) => {
      const profile: Profile = {
        ...newProfile(),
        consent: true,
        opportunities: true,
        locale: "en",
        area: { lat: 51.45, lng: -2.6 },
        children: [{ birthMonth: "2024-03" }],
        lastInboundAt: Date.now(),
        ...over,
      };
      await store.saveFamily(id, { profile, session: null }, { sessionTtlSeconds: 600 });
      if (profile.area) await store.opportunities.setArea(id, profile.area);
    };
    for (let i = 0; i < 40; i++) {
      const id = `telegram:${base + i}`;
      await add(id, { locale: locales[i % locales.length] });
      fits.push(id);
    }
    for (let i = 40; i < 46; i++) {
      const id = `telegram:${base + i}`;
      await add(id, { children: [{ birthMonth: "2014-01" }] }); // 12: not for 0-5s
      misfits.push(id);
    }
    for (let i = 46; i < 50; i++) {
      const id = `telegram:${base + i}`;
      await add(id, { area: { lat: 51.7, lng: -2.6 } }); // 28 km away
      misfits.push(id);
    }
    for (let i = 0; i < 10; i++) {
      const id = `whatsapp:+4477009${String(base % 1000).padStart(3, "0")}${String(i).padStart(2, "0")}`;
      await add(id, { locale: i % 2 ? "es" : "en" });
      fits.push(id);
    }
    for (let i = 10; i < 13; i++) {
      const id = `whatsapp:+4477009${String(base % 1000).padStart(3, "0")}${String(i).padStart(2, "0")}`;
      await add(id, { lastInboundAt: Date.now() - 3 * 24 * 3600 * 1000 });
      outside.push(id);
    }
    await store.close();

    const [a, b, c] = await Promise.all(
      ports.map((port) => start({ ...env(), PORT: String(port) })),
    );
    for (const p of [a, b, c]) if (p) running.push(p.child);
    const api = (port: number, method: string, path: string, body?: unknown) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    const content = realContent();

    /** One broadcast; `stop` is called once it is under way; returns each family's messages. */
    /** Signed, as Slack sends interactivity: a form with the JSON in `payload`. */
    const slackPost = async (port: number, payload: unknown) => {
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      const timestamp = Math.floor(Date.now() / 1000);
      const res = await fetch(`http://127.0.0.1:${port}/webhooks/slack`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": signSlackRequest({ signingSecret: SLACK_SECRET, timestamp, body }),
        },
      });
      const text = await res.text();
      return text ? (JSON.parse(text) as Json) : {};
    };
    const waitForSlack = async (check: () => boolean) => {
      for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    };

    /** A community worker posts from the Slack modal and presses Send to families, then Send now. */
    async function postAndSendFromSlack(
      title: string,
    ): Promise<{ broadcastId: string; reach: string }> {
      const port = ports[2] as number;
      const check = await slackPost(
        port,
        viewSubmission(WORKER, "sprout_post", {
          title,
          description: "Songs and rhymes for babies and toddlers.",
          language: "en",
          starts: "in 2 days at 10am",
          ends: "1 hour",
          timezone: "Europe/London",
          place: "Central Library",
          ages: "0-4",
          cost: "free",
        }),
      );
      expect(check.response_action).toBe("push");
      await slackPost(
        port,
        viewSubmission(WORKER, "sprout_post_confirm", {}, check.view.private_metadata),
      );
      await waitForSlack(() => slack.posted().some((m) => m.text === `Posted: ${title}`));
      const posted = slack.posted().find((m) => m.text === `Posted: ${title}`);
      const oppId = JSON.stringify(posted?.blocks).match(/"value":"([\w-]+)"/)?.[1] as string;
      const press = (action: string) =>
        slackPost(port, {
          ...buttonPress(WORKER, oppId, action),
          channel: { id: posted?.channel, name: "directmessage" },
          message: { ts: posted?.ts, text: "" },
        });
      const updates = () =>
        slack.calls.filter((c) => c.method === "chat.update" && c.params.ts === posted?.ts);
      await press("sprout_reach");
      await waitForSlack(() => updates().length > 0);
      const reach = String(updates()[0]?.params.text);
      await press("sprout_send");
      // The broadcast's id, as an operator would find it: its record in Redis.
      const admin = new Redis(REDIS_URL as string);
      let broadcastId = "";
      for (let i = 0; i < 100 && !broadcastId; i++) {
        let cursor = "0";
        do {
          const [next, keys] = await admin.scan(
            cursor,
            "MATCH",
            `${prefix}broadcast:*`,
            "COUNT",
            1000,
          );
          cursor = next;
          for (const key of keys) {
            const record = JSON.parse((await admin.hget(key, "record")) ?? "{}");
            if (record.opportunityId === oppId) broadcastId = record.id;
          }
        } while (cursor !== "0");
        if (!broadcastId) await new Promise((r) => setTimeout(r, 50));
      }
      await admin.quit();
      expect(broadcastId, `no broadcast of ${oppId} (reach: ${reach})`).not.toBe("");
      return { broadcastId, reach };
    }

    async function broadcast(
      title: string,
      stop: () => void,
      statusPort: number,
      viaSlack = false,
    ) {
      telegram.reset();
      twilio.reset();
      let broadcastId: string;
      if (viaSlack) {
        const fromSlack = await postAndSendFromSlack(title);
        expect(fromSlack.reach).toMatch(new RegExp(`^${fits.length + outside.length} families: `));
        broadcastId = fromSlack.broadcastId;
      } else broadcastId = await viaApi(title);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
      expect(telegram.sent().length).toBeGreaterThan(0);
      stop();
      let status: Json = {};
      for (let i = 0; i < 240; i++) {
        status = (await api(statusPort, "GET", `/api/broadcasts/${broadcastId}`)).body;
        if (status.status === "done") break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(status.status).toBe("done");
      const got = new Map<string, string[]>();
      for (const id of [...fits, ...misfits, ...outside])
        got.set(
          id,
          id.startsWith("telegram:")
            ? telegram.sent(Number(id.slice(9))).map((m) => m.text)
            : twilio.messages.filter((m) => m.To === id).map((m) => m.Body ?? ""),
        );
      return { status, got };
    }

    async function viaApi(title: string): Promise<string> {
      const opp = await api(ports[2] as number, "POST", "/api/opportunities", {
        title: { en: title, es: `${title} (es)`, uk: `${title} (uk)` },
        description: "Songs and rhymes for babies and toddlers.",
        startsAt: new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString(),
        endsAt: new Date(Date.now() + 2 * 24 * 3600 * 1000 + 3600 * 1000).toISOString(),
        timezone: "Europe/London",
        place: { name: "Central Library" },
        ages: { minMonths: 0, maxMonths: 60 },
        cost: "free",
        languages: ["en"],
      });
      expect(opp.status).toBe(201);
      const sent = await api(ports[2] as number, "POST", "/api/broadcasts", {
        opportunityId: opp.body.id,
        radiusKm: 5,
      });
      expect(sent.status).toBe(202);
      expect(sent.body.reach).toMatchObject({ total: fits.length + outside.length });
      return sent.body.id as string;
    }

    // A process stopped mid-way (SIGTERM): it finishes what it holds, the other takes the rest.
    // Posted and sent by a community worker from the Slack modal (signed view_submission).
    const first = await broadcast(
      "Rhyme time",
      () => a?.child.kill("SIGTERM"),
      ports[1] as number,
      true,
    );
    expect(first.status.counts).toMatchObject({
      queued: fits.length + outside.length,
      sent: fits.length,
      skipped: outside.length,
    });
    for (const id of fits) expect(first.got.get(id), id).toHaveLength(1);
    for (const id of [...misfits, ...outside]) expect(first.got.get(id), id).toHaveLength(0);
    fits.forEach((id, i) => {
      if (!id.startsWith("telegram:")) return;
      expect(first.got.get(id)?.[0]).toContain(
        content.speech.t(locales[i % locales.length] as string, "broadcast.new"),
      );
    });
    // Paced: never more than the rate in any one second (across both processes).
    const times = telegram.calls
      .filter((x) => x.method === "sendMessage" && x.status === 200)
      .map((x) => x.at);
    for (const t of times)
      expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(
        TELEGRAM_RATE + 1,
      );

    // A process killed outright (SIGKILL): nothing is lost; only a send it had in flight at
    // the instant it died can go out again (the platform took it, the mark was not yet written).
    const second = await broadcast(
      "Story walk",
      () => b?.child.kill("SIGKILL"),
      ports[2] as number,
    );
    expect(second.status.counts.queued).toBe(fits.length + outside.length);
    expect(second.status.counts.sent).toBeGreaterThanOrEqual(fits.length);
    let repeats = 0;
    for (const id of fits) {
      const n = second.got.get(id)?.length ?? 0;
      expect(n, id).toBeGreaterThanOrEqual(1);
      repeats += n - 1;
    }
    expect(repeats).toBeLessThanOrEqual(2);
    for (const id of [...misfits, ...outside]) expect(second.got.get(id), id).toHaveLength(0);
  }, 180_000);
});
