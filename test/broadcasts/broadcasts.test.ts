import { describe, expect, it } from "vitest";
import { broadcastRoutes } from "../../src/api/broadcasts.ts";
import { createApp } from "../../src/app.ts";
import { createBroadcasts } from "../../src/broadcasts/broadcasts.ts";
import type { Channel } from "../../src/channels/channel.ts";
import { createPipeline } from "../../src/core/pipeline.ts";
import { newProfile, type Outbound, type Profile } from "../../src/core/types.ts";
import { createMemoryQueue } from "../../src/jobs/queue.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { realContent } from "../helpers/content.ts";

/** A JSON answer, read loosely by the test. */
// biome-ignore lint/suspicious/noExplicitAny: test code reads nested JSON fields
type Json = Record<string, any>;

const TOKEN = "broadcast-test-token-123";
const LIBRARY = { name: "Bristol Central Library", lat: 51.4526, lng: -2.5997 };

interface Sent {
  familyId: string;
  at: number;
  messages: Outbound[];
}

function channel(name: Channel["name"], sent: Sent[]): Channel {
  return {
    name,
    mounts: [],
    async send(familyId, messages, opts) {
      const outside =
        name === "whatsapp" &&
        opts?.lastInboundAt !== undefined &&
        Date.now() - opts.lastInboundAt > 24 * 3600 * 1000;
      if (outside && !opts?.template) return { status: "skipped", reason: "outside-24h-window" };
      sent.push({ familyId, at: Date.now(), messages: [...messages] });
      return { status: "sent", count: messages.length };
    },
    async close() {},
  };
}

const family = (over: Partial<Profile>): Profile => ({
  ...newProfile(),
  consent: true,
  locale: "en",
  opportunities: true,
  area: { lat: 51.45, lng: -2.6 },
  lastInboundAt: Date.now(),
  children: [{ birthMonth: "2024-06" }],
  ...over,
});

async function setUp(rates: Record<string, number> = {}) {
  const store = createMemoryStore();
  const content = realContent();
  const pipeline = createPipeline({ store, content });
  const sent: Sent[] = [];
  const queue = createMemoryQueue({
    rates: { telegram: 1000, whatsapp: 1000, slack: 1000, ...rates },
  });
  const broadcasts = createBroadcasts({
    store,
    queue,
    pipeline,
    channels: new Map([
      ["telegram", channel("telegram", sent)],
      ["whatsapp", channel("whatsapp", sent)],
      ["slack", channel("slack", sent)],
    ]),
    speech: content.speech,
  });
  queue.start(async (job) =>
    job.kind === "broadcast"
      ? broadcasts.run(job.familyId, job.broadcastId)
      : job.kind === "reminder"
        ? broadcasts.remind(job.familyId, job.opportunityId)
        : { status: "done" },
  );
  const app = createApp({ store, adminToken: TOKEN, api: [broadcastRoutes(broadcasts)] });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const add = async (id: string, p: Profile) => {
    await store.saveFamily(id, { profile: p, session: null }, { sessionTtlSeconds: 60 });
    if (p.opportunities && p.area) await store.opportunities.setArea(id, p.area);
  };
  const opportunity = await call("POST", "/api/opportunities", {
    title: { en: "Rhyme time", es: "Hora de rimas" },
    description: "Songs and rhymes for babies and toddlers.",
    startsAt: new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString(),
    endsAt: new Date(Date.now() + 3 * 24 * 3600 * 1000 + 3600 * 1000).toISOString(),
    timezone: "Europe/London",
    place: LIBRARY,
    ages: { minMonths: 0, maxMonths: 48 },
    cost: "free",
    languages: ["en"],
  });
  return {
    store,
    pipeline,
    sent,
    queue,
    broadcasts,
    call,
    add,
    oppId: opportunity.body.id as string,
  };
}

describe("broadcasts", () => {
  it("reach first, then exactly the fitting families, each once, in their language", async () => {
    const f = await setUp();
    await f.add("telegram:1", family({}));
    await f.add("telegram:2", family({ locale: "es" }));
    await f.add("telegram:3", family({ children: [{ birthMonth: "2016-01" }] })); // 10: too old
    await f.add("telegram:4", family({ optedOut: true })); // said stop
    await f.add("telegram:5", family({ opportunities: false })); // never agreed
    await f.add("telegram:6", family({ area: { lat: 51.6, lng: -2.6 } })); // 16 km away
    await f.add(
      "whatsapp:+447700900001",
      family({ lastInboundAt: Date.now() - 3 * 24 * 3600 * 1000 }),
    );
    await f.add("slack:T1:U1", family({ locale: "fr" }));

    const dry = await f.call("POST", "/api/broadcasts", { opportunityId: f.oppId, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.reach).toEqual({
      total: 4,
      byChannel: { telegram: 2, whatsapp: 1, slack: 1 },
      byLanguage: { en: 2, es: 1, fr: 1 },
    });
    expect(f.sent).toHaveLength(0);

    const started = await f.call("POST", "/api/broadcasts", { opportunityId: f.oppId });
    expect(started.status).toBe(202);
    await f.queue.idle();
    expect(f.sent.map((s) => s.familyId).sort()).toEqual([
      "slack:T1:U1",
      "telegram:1",
      "telegram:2",
    ]);
    const es = f.sent.find((s) => s.familyId === "telegram:2")?.messages[0];
    expect(es?.text).toContain("📍 Hora de rimas");
    expect(es?.text).toContain("(en inglés)"); // its description is only in English
    expect(es?.choices?.map((c) => c.id)).toEqual(["remind_me", "not_interested"]);
    const status = await f.call("GET", `/api/broadcasts/${started.body.id}`);
    expect(status.body).toMatchObject({
      status: "done",
      counts: { queued: 4, sent: 3, delivered: 0, failed: 0, skipped: 1 },
      reasons: { "skipped:outside_24h_window": 1 },
    });
    // Receipts (WhatsApp status callbacks carry the broadcast id as their tag) count deliveries.
    await f.broadcasts.delivery(started.body.id, "delivered");
    await f.broadcasts.delivery(started.body.id, "read");
    await f.broadcasts.delivery("ffffffffffffffff", "delivered");
    expect((await f.call("GET", `/api/broadcasts/${started.body.id}`)).body.counts.delivered).toBe(
      1,
    );
    // The same job again (a redelivery, a second process): nothing is sent twice.
    await f.broadcasts.run("telegram:1", started.body.id);
    expect(f.sent.filter((s) => s.familyId === "telegram:1")).toHaveLength(1);
  });

  it("answers: remind me sends a reminder the day before; not interested is honoured", async () => {
    const f = await setUp();
    await f.add("telegram:1", family({}));
    await f.add("telegram:2", family({}));
    await f.call("POST", "/api/broadcasts", { opportunityId: f.oppId });
    await f.queue.idle();
    let out = await f.pipeline.handle({
      familyId: "telegram:1",
      event: { kind: "choice", id: "remind_me" },
    });
    expect(out?.[0]?.text).toContain("remind you the day before");
    out = await f.pipeline.handle({
      familyId: "telegram:2",
      event: { kind: "text", text: "Not interested" },
    });
    expect(out?.[0]?.text).toContain("thanks for telling me");
    // Not yet: two days before.
    expect(await f.broadcasts.tickReminders(new Date(Date.now() + 24 * 3600 * 1000))).toBe(0);
    expect(await f.broadcasts.tickReminders(new Date(Date.now() + 2.1 * 24 * 3600 * 1000))).toBe(1);
    await f.queue.idle();
    const reminder = f.sent.at(-1);
    expect(reminder?.familyId).toBe("telegram:1");
    expect(reminder?.messages[0]?.text).toMatch(/^⏰ Tomorrow: Rhyme time/);
    // Broadcast again: the family not interested is skipped.
    const again = await f.call("POST", "/api/broadcasts", { opportunityId: f.oppId, dryRun: true });
    expect(again.body.reach.total).toBe(1);
  });

  it("is paced at the channel's rate", async () => {
    const f = await setUp({ telegram: 20 });
    for (let i = 0; i < 15; i++) await f.add(`telegram:${100 + i}`, family({}));
    await f.call("POST", "/api/broadcasts", { opportunityId: f.oppId });
    await f.queue.idle();
    expect(f.sent).toHaveLength(15);
    const times = f.sent.map((s) => s.at).sort((a, b) => a - b);
    // 20 a second: the 15 sends spread over at least 14 intervals of 50 ms.
    expect((times.at(-1) ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(14 * 50 - 10);
  });

  it("rejects bad requests with a clear 4xx", async () => {
    const f = await setUp();
    expect((await f.call("POST", "/api/broadcasts", { opportunityId: "nope" })).status).toBe(404);
    const bad = await f.call("POST", "/api/broadcasts", { opportunityId: f.oppId, radiusKm: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("radiusKm");
    expect((await f.call("GET", "/api/broadcasts/none")).status).toBe(404);
    expect((await f.call("PUT", "/api/broadcasts/none")).status).toBe(405);
    expect((await f.call("GET", "/api/broadcasts")).status).toBe(405);
  });
});
