import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Channel, SendOptions } from "../../src/channels/channel.ts";
import { createPipeline, redact } from "../../src/core/pipeline.ts";
import type { InboundEvent, Outbound } from "../../src/core/types.ts";
import { createMemoryQueue } from "../../src/jobs/queue.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { createRedisStore } from "../../src/store/redis.ts";
import { createTipsRunner } from "../../src/tips/runner.ts";
import { localTime } from "../../src/tips/schedule.ts";
import { realContent } from "../helpers/content.ts";
import { choiceIds, texts } from "../helpers/conversation.ts";
import { describeRedis, REDIS_URL } from "../helpers/redis.ts";

const NOW = new Date("2026-11-28T12:00:00Z"); // a Saturday

function setUp(familyId: string, opts: { template?: boolean } = {}) {
  let clock = NOW;
  const store = createMemoryStore({ now: () => clock.getTime() });
  const content = realContent();
  const pipeline = createPipeline({
    store,
    content: { ...content, whatsappTipsTemplate: opts.template },
    now: () => clock,
    tips: content,
  });
  const say = async (text: string) =>
    (await pipeline.handle({ familyId, event: { kind: "text", text } })) ?? [];
  const pick = async (id: string) =>
    (await pipeline.handle({ familyId, event: { kind: "choice", id } })) ?? [];
  const send = async (event: InboundEvent) => (await pipeline.handle({ familyId, event })) ?? [];
  return {
    send,
    store,
    pipeline,
    say,
    pick,
    content,
    setClock: (d: Date) => (clock = d),
    now: () => clock,
  };
}

async function onboard(say: (t: string) => Promise<Outbound[]>) {
  await say("hi");
  await say("English");
  await say("yes");
  await say("4");
  await say("that's all");
  await say("done");
}

describe("subscribing to weekly tips", () => {
  it("asks how many, which days, what time, and the zone where the number has several", async () => {
    const f = setUp("whatsapp:+34600000001");
    await onboard(f.say);
    let out = await f.say("tips");
    expect(texts(out)).toContain("How many a week?");
    expect(choiceIds(out)).toEqual(["n3", "n2", "n1"]);
    out = await f.pick("n2");
    expect(choiceIds(out)).toEqual(["d14", "d25", "d60"]);
    out = await f.pick("d25");
    expect(texts(out)).toContain("What time?");
    out = await f.say("22:00"); // quiet hours: not allowed
    expect(texts(out)).toContain("between 8:00 and 20:59");
    out = await f.say("7.45pm");
    // Spain has two zones (mainland, Canaries): asked.
    expect(texts(out)).toContain("Which time zone");
    expect(out.at(-1)?.choices?.map((c) => c.label)).toEqual(["Canary (UTC+0)", "Madrid (UTC+1)"]);
    out = await f.pick("tz1");
    expect(texts(out)).toContain("2 a week, Tue, Fri at 19:45 (Madrid time)");
    // No WhatsApp template configured: told how tips reach them.
    expect(texts(out)).toContain("within 24 hours");
    const due = await f.store.dueTips(Date.parse("2026-12-31T00:00:00Z"), 10);
    expect(due[0]?.id).toBe("whatsapp:+34600000001");
    const l = localTime(new Date(due[0]?.due ?? 0), "Europe/Madrid");
    expect([l.weekday, l.hour, l.minute]).toEqual([2, 19, 45]);
    // Already subscribed: shown, and "tips off" stops them and the schedule.
    out = await f.say("tips");
    expect(texts(out)).toContain("You get 2 a week");
    out = await f.say("tips off");
    expect(texts(out)).toContain("Weekly tips are off");
    expect(await f.store.tipsScheduled()).toBe(0);
  });

  it("asks a Telegram family for its city, and stop takes it off the schedule", async () => {
    const f = setUp("telegram:777");
    await onboard(f.say);
    await f.say("tips");
    await f.pick("n3");
    await f.pick("d135");
    let out = await f.pick("h1800");
    expect(texts(out)).toContain("Which city");
    out = await f.say("Atlantis");
    expect(texts(out)).toContain("don't know that place");
    expect(out.at(-1)?.kind).toBe("location-request");
    // A location pin answers too: Nairobi's.
    out = await f.send({ kind: "location", lat: -1.29, lng: 36.82 });
    expect(texts(out)).toContain("3 a week, Mon, Wed, Fri at 18:00 (Nairobi time)");
    expect(texts(out)).not.toContain("within 24 hours");
    expect(await f.store.tipsScheduled()).toBe(1);
    await f.say("stop");
    expect(await f.store.tipsScheduled()).toBe(0);
  });

  it("on WhatsApp outside 24 hours sends the template, and the tip when the parent writes", async () => {
    const f = setUp("whatsapp:+254700000002", { template: true });
    await onboard(f.say);
    await f.say("tips");
    await f.pick("n1");
    await f.pick("d3");
    const out = await f.pick("h1200");
    expect(texts(out)).toContain("Wednesday at 12:00 (Nairobi time)");
    expect(texts(out)).not.toContain("within 24 hours");
    const sends: Array<{ messages: readonly Outbound[]; opts?: SendOptions }> = [];
    const whatsapp: Channel = {
      name: "whatsapp",
      mounts: [],
      async send(_id, messages, opts) {
        sends.push({ messages, opts });
        return { status: "sent", count: 1 };
      },
      async close() {},
    };
    const queue = createMemoryQueue();
    const runner = createTipsRunner({
      store: f.store,
      queue,
      pipeline: f.pipeline,
      channels: new Map([["whatsapp", whatsapp]]),
      content: f.content,
      now: f.now,
      whatsappTemplate: "HX0123456789abcdef0123456789abcdef",
    });
    queue.start(async (job) =>
      job.kind === "tip" ? runner.run(job.familyId, job.slot) : { status: "done" },
    );
    // Four days of silence: Wednesday 12:00 in Nairobi is 09:00 UTC.
    f.setClock(new Date("2026-12-02T09:00:30Z"));
    expect((await runner.tick()).enqueued).toBe(1);
    await queue.idle();
    expect(sends).toHaveLength(1);
    expect(sends[0]?.opts?.template?.contentSid).toBe("HX0123456789abcdef0123456789abcdef");
    // Ticking again finds nothing due: one tip a slot.
    expect((await runner.tick()).enqueued).toBe(0);
    // The parent taps the template: the tip comes first.
    f.setClock(new Date("2026-12-02T10:00:00Z"));
    const reply = await f.say("hi");
    expect(reply[0]?.text).toMatch(/^🌱 This week: .+ \(\d+ min, 4 yrs\)/);
    expect(
      (await f.store.loadFamily("whatsapp:+254700000002"))?.profile.pendingTip,
    ).toBeUndefined();
    await queue.close();
  });
});

describeRedis("npm run tips:due", () => {
  it("lists who would get what at a time, and changes nothing", async () => {
    const store = createRedisStore({ url: REDIS_URL as string });
    const id = `telegram:${Math.floor(Math.random() * 1e9)}`;
    const due = Date.parse("2031-03-03T16:00:00Z"); // a Monday, 18:00 in Kyiv
    await store.saveFamily(
      id,
      {
        profile: {
          children: [{ birthMonth: "2028-01" }],
          interests: [],
          recent: [],
          feedback: {},
          optedOut: false,
          suggestions: 0,
          locale: "es",
          tips: { perWeek: 3, days: [1, 3, 5], hour: 18, minute: 0, tz: "Europe/Kyiv" },
        },
        session: null,
      },
      { sessionTtlSeconds: 60 },
    );
    await store.setTipDue(id, due);
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [
          join(import.meta.dirname, "../../src/cli/tips-due.ts"),
          "--at",
          "2031-03-03T16:00:00Z",
          "--json",
        ],
        { env: { PATH: process.env.PATH, REDIS_URL } },
        (err, stdout) => resolve({ code: err ? 1 : 0, stdout }),
      ),
    );
    try {
      expect(r.code).toBe(0);
      const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
      const mine = rows.find((x) => x.family === redact(id));
      expect(mine).toMatchObject({
        kind: "fact",
        locale: "es",
        local: "2031-03-03 18:00 Europe/Kyiv",
      });
      expect(String(mine?.text)).toMatch(/^💡/);
      expect(r.stdout).not.toContain(id);
      expect(await store.dueTips(due, 100_000)).toContainEqual({ id, due });
    } finally {
      await store.deleteFamily(id);
      await store.close();
    }
  });
});

describe("a family that moves", () => {
  it("keeps its tips at the same local hour in its new time zone", async () => {
    const f = setUp("telegram:778");
    await onboard(f.say);
    await f.say("tips");
    await f.pick("n3");
    await f.pick("d135");
    await f.pick("h1800");
    await f.say("Kyiv");
    let due = await f.store.dueTips(Date.parse("2027-01-01T00:00:00Z"), 10);
    expect(localTime(new Date(due[0]?.due ?? 0), "Europe/Kyiv").hour).toBe(18);
    // The family shares a location in Lisbon: tips now come at 18:00 Lisbon time.
    await f.pipeline.handle({
      familyId: "telegram:778",
      event: { kind: "location", lat: 38.72, lng: -9.14 },
    });
    const profile = (await f.store.loadFamily("telegram:778"))?.profile;
    expect(profile?.tips?.tz).toBe("Europe/Lisbon");
    due = await f.store.dueTips(Date.parse("2027-01-01T00:00:00Z"), 10);
    expect(due).toHaveLength(1);
    const l = localTime(new Date(due[0]?.due ?? 0), "Europe/Lisbon");
    expect([l.hour, l.minute]).toEqual([18, 0]);
  });
});
