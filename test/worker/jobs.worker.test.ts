import { afterAll, beforeAll, expect, it } from "vitest";
import { newProfile, type Profile } from "../../src/core/types.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import { FAKE_BOT_INFO, type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api.ts";
import { realContent } from "../helpers/content.ts";
import { deletePrefix, describeRedis, REDIS_URL } from "../helpers/redis.ts";
import { type LocalWorker, startWorker } from "../helpers/wrangler.ts";

/** A JSON answer, read loosely by the test. */
// biome-ignore lint/suspicious/noExplicitAny: test code reads nested JSON fields
type Json = Record<string, any>;

const TOKEN = "worker-admin-token-0123456789";

/** Tips from the Cron Trigger and broadcasts through the Queue, on the Worker in workerd. */
describeRedis("jobs on the Cloudflare Worker (workerd: Cron Trigger and Queue)", () => {
  const prefix = `wk-${Math.random().toString(36).slice(2)}:`;
  const base = 700_000_000 + Math.floor(Math.random() * 1e6) * 10;
  let fake: FakeTelegram;
  let worker: LocalWorker;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    worker = await startWorker(
      {
        NODE_ENV: "production",
        REDIS_URL: REDIS_URL as string,
        REDIS_PREFIX: prefix,
        ADMIN_TOKEN: TOKEN,
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_WEBHOOK_SECRET: "worker-secret_2",
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_BOT_INFO: JSON.stringify(FAKE_BOT_INFO),
      },
      undefined,
      ["--test-scheduled"],
    );
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await fake?.close();
    await deletePrefix(prefix);
  });

  const family = (over: Partial<Profile>): Profile => ({
    ...newProfile(),
    consent: true,
    locale: "en",
    children: [{ birthMonth: "2023-01" }],
    lastInboundAt: Date.now(),
    ...over,
  });

  const waitFor = async (check: () => boolean, ms = 20_000) => {
    for (let t = 0; t < ms && !check(); t += 100) await new Promise((r) => setTimeout(r, 100));
  };

  it("the Cron Trigger sends each due tip once, through the Queue", async () => {
    const store = createRedisStore({ url: REDIS_URL as string, prefix });
    const ids = [base + 1, base + 2];
    // A zone where it is about noon now, so quiet hours (judged at send time) never hold it back.
    const off = ((12 - new Date().getUTCHours() + 36) % 24) - 12;
    const tz = off === 0 ? "UTC" : `Etc/GMT${off > 0 ? "-" : "+"}${Math.abs(off)}`;
    for (const id of ids) {
      await store.saveFamily(
        `telegram:${id}`,
        {
          profile: family({
            tz,
            tips: { perWeek: 3, days: [0, 1, 2, 3, 4, 5, 6], hour: 12, minute: 0, tz },
          }),
          session: null,
        },
        { sessionTtlSeconds: 600 },
      );
      // Due a minute ago.
      await store.setTipDue(`telegram:${id}`, Date.now() - 60_000);
    }
    await store.close();
    for (let i = 0; i < 2; i++)
      expect((await fetch(`${worker.url}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200);
    await waitFor(() => ids.every((id) => fake.sent(id).length > 0));
    for (const id of ids) {
      expect(fake.sent(id)).toHaveLength(1);
      expect(fake.sent(id)[0]?.text).toMatch(/^(💡|🌱)/);
    }
  }, 60_000);

  it("a broadcast through the API fans out through the Queue to the fitting families", async () => {
    const store = createRedisStore({ url: REDIS_URL as string, prefix });
    const near = { lat: 51.45, lng: -2.6 };
    const fit = [base + 10, base + 11, base + 12];
    const tooOld = base + 13;
    for (const id of [...fit, tooOld]) {
      const p = family({
        opportunities: true,
        area: near,
        locale: id === base + 11 ? "es" : "en",
        ...(id === tooOld ? { children: [{ birthMonth: "2014-01" }] } : {}),
      });
      await store.saveFamily(
        `telegram:${id}`,
        { profile: p, session: null },
        { sessionTtlSeconds: 600 },
      );
      await store.opportunities.setArea(`telegram:${id}`, near);
    }
    await store.close();
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${worker.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json }));
    const opp = await call("POST", "/api/opportunities", {
      title: { en: "Rhyme time", es: "Hora de rimas" },
      description: "Songs and rhymes.",
      startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString(),
      timezone: "Europe/London",
      place: { name: "Central Library" },
      ages: { minMonths: 0, maxMonths: 72 },
      cost: "free",
      languages: ["en"],
    });
    expect(opp.status).toBe(201);
    const b = await call("POST", "/api/broadcasts", { opportunityId: opp.body.id });
    expect(b.status).toBe(202);
    expect(b.body.reach.total).toBe(3);
    await waitFor(() => fit.every((id) => fake.sent(id).length > 0));
    for (const id of fit) expect(fake.sent(id)).toHaveLength(1);
    expect(fake.sent(base + 11)[0]?.text).toContain(realContent().speech.t("es", "broadcast.new"));
    expect(fake.sent(tooOld)).toHaveLength(0);
    await waitFor(() => false, 1500); // nothing more arrives
    for (const id of fit) expect(fake.sent(id)).toHaveLength(1);
    const status = await call("GET", `/api/broadcasts/${b.body.id}`);
    expect(status.body).toMatchObject({ status: "done", counts: { queued: 3, sent: 3 } });
  }, 60_000);
});
