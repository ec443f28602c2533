import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Broadcasts, createBroadcasts } from "../../../src/broadcasts/broadcasts.ts";
import type { Channel } from "../../../src/channels/channel.ts";
import { REFUSAL } from "../../../src/channels/slack/community.ts";
import { newProfile } from "../../../src/core/types.ts";
import { createMemoryQueue } from "../../../src/jobs/queue.ts";
import { loadPlaces } from "../../../src/opportunities/places.ts";
import { createMemoryStore } from "../../../src/store/memory.ts";
import { realContent } from "../../helpers/content.ts";
import {
  buttonPress,
  dmOf,
  type Harness,
  newUser,
  readBlocks,
  startHarness,
  viewSubmission as submission,
  TEAM,
} from "./harness.ts";

/** A JSON answer, read loosely by the test. */
// biome-ignore lint/suspicious/noExplicitAny: test code reads nested JSON fields
type Json = Record<string, any>;

/** Block Kit as the fake received it (WebClient sends it as a JSON string). */
const parsed = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

const NOW = new Date("2026-11-28T12:00:00Z"); // a Saturday
const places = loadPlaces(
  readFileSync(join(import.meta.dirname, "../../../content/places.yaml"), "utf8"),
);

const FORM = {
  title: "Rhyme time",
  description: "Songs and rhymes for babies and toddlers.",
  language: "en",
  starts: "next Saturday 10am",
  ends: "11:30",
  timezone: "Europe/London",
  place: "Central Library",
  ages: "0-4",
  cost: "free",
};

/** `user` types `/sprout <text>` in their DM with the bot. */
function slash(h: Harness, user: string, text: string) {
  const form = new URLSearchParams({
    token: "x",
    team_id: TEAM,
    user_id: user,
    channel_id: dmOf(user),
    command: "/sprout",
    text,
    trigger_id: `${Date.now()}.1.abc`,
  });
  return h.postForm(form.toString());
}

describe("community workers post and broadcast from Slack", () => {
  let h: Harness;
  const worker = newUser();
  const stranger = newUser();
  const sent: Array<{ familyId: string; text: string }> = [];
  let broadcasts: ReturnType<typeof createBroadcasts> | undefined;
  const queue = createMemoryQueue({ rates: { telegram: 1000 } });

  beforeAll(async () => {
    const store = createMemoryStore();
    h = await startHarness(store, {
      community: {
        opportunities: store.opportunities,
        places,
        broadcasts: () => broadcasts,
        posters: { users: [worker] },
        now: () => NOW,
      },
    });
    h.fake.setUser(worker, { locale: "en-GB", tz: "Europe/London" });
    const telegram: Channel = {
      name: "telegram",
      mounts: [],
      async send(familyId, messages) {
        sent.push({ familyId, text: messages[0]?.text ?? "" });
        return { status: "sent", count: messages.length };
      },
      async close() {},
    };
    broadcasts = createBroadcasts({
      store,
      queue,
      pipeline: h.pipeline,
      channels: new Map([["telegram", telegram]]),
      speech: realContent().speech,
      onProgress: (id) => void h.channel.updateProgress(id),
    });
    queue.start(async (job) =>
      job.kind === "broadcast" && broadcasts
        ? broadcasts.run(job.familyId, job.broadcastId)
        : { status: "done" },
    );
    for (const [id, born] of [
      ["telegram:91", "2024-05"],
      ["telegram:92", "2023-01"],
      ["telegram:93", "2015-01"], // 11: too old for 0-4
    ] as const) {
      const profile = {
        ...newProfile(),
        locale: "en",
        consent: true,
        opportunities: true,
        area: { lat: 51.45, lng: -2.6 },
        children: [{ birthMonth: born }],
        lastInboundAt: Date.now(),
      };
      await store.saveFamily(id, { profile, session: null }, { sessionTtlSeconds: 60 });
      await store.opportunities.setArea(id, profile.area);
    }
  });
  afterAll(async () => {
    await queue.close();
    await h?.close();
  });

  const command = (user: string, text: string) => slash(h, user, text);
  const submit = async (body: unknown) => {
    const res = await h.postForm(`payload=${encodeURIComponent(JSON.stringify(body))}`);
    return (await res.json()) as Json;
  };
  const press = async (user: string, actionId: string, value: string, ts: string) => {
    const body = { ...buttonPress(user, value, actionId), message: { ts, text: "" } };
    await h.postForm(`payload=${encodeURIComponent(JSON.stringify(body))}`);
    await h.channel.idle();
  };

  it("only listed workers may post: others are told kindly, and no modal opens", async () => {
    await command(stranger, "post");
    await h.channel.idle();
    expect(h.fake.calls.filter((c) => c.method === "views.open")).toHaveLength(0);
    expect(h.fake.posted().map((m) => m.text)).toContain(REFUSAL);
  });

  it("/sprout post opens the modal, its time zone from the worker's profile", async () => {
    await command(worker, "post");
    await h.channel.idle();
    const open = h.fake.calls.find((c) => c.method === "views.open");
    const raw = open?.params.view;
    const view = typeof raw === "string" ? JSON.parse(raw) : (raw as Json);
    expect(view.callback_id).toBe("sprout_post");
    const tz = view.blocks.find((b: { block_id: string }) => b.block_id === "timezone");
    expect(tz.element.initial_value).toBe("Europe/London");
  });

  it("reads dates typed naturally and shows them back; a bad one is an error on its field", async () => {
    const answer = await submit(submission(worker, "sprout_post", FORM));
    // "push": the confirmation goes over the form, so Back returns to it as typed.
    expect(answer.response_action).toBe("push");
    expect(answer.view.callback_id).toBe("sprout_post_confirm");
    expect(answer.view.submit.text).toBe("Confirm");
    const shown = JSON.stringify(answer.view.blocks);
    expect(shown).toContain("*Rhyme time*");
    expect(shown).toContain("Sat, 5 Dec 2026, 10:00–11:30 (Europe/London, UTC+0)");
    expect(shown).toContain("Bristol Central Library (51.");
    expect(shown).toContain("birth to 4 years · free");
    const body = JSON.parse(answer.view.private_metadata);
    expect(body).toMatchObject({
      startsAt: "2026-12-05T10:00:00.000Z",
      endsAt: "2026-12-05T11:30:00.000Z",
    });
    const spanish = await submit(
      submission(worker, "sprout_post", {
        ...FORM,
        language: "es",
        starts: "sábado 10:00",
        ends: "1 hora",
      }),
    );
    expect(JSON.stringify(spanish.view.blocks)).toContain("Sat, 5 Dec 2026, 10:00–11:00");
    const bad = await submit(
      submission(worker, "sprout_post", { ...FORM, starts: "whenever", ages: "tiny" }),
    );
    expect(bad.response_action).toBe("errors");
    expect(Object.keys(bad.errors).sort()).toEqual(["ages", "starts"]);
    expect(bad.errors.starts).toMatch(/^I couldn't read that date: try "Saturday 10am"/);
    const early = await submit(submission(worker, "sprout_post", { ...FORM, ends: "9:00" }));
    expect(early).toMatchObject({
      response_action: "errors",
      errors: { ends: expect.any(String) },
    });
  });

  it("confirming posts it (recorded with who), then the reach, then the broadcast with its progress", async () => {
    const check = await submit(submission(worker, "sprout_post", FORM));
    await submit(submission(worker, "sprout_post_confirm", {}, check.view.private_metadata));
    await h.channel.idle();
    const [upcoming] = await h.store.opportunities.upcoming(NOW);
    expect(upcoming?.opportunity.createdBy).toBe(`slack:${TEAM}:${worker}`);
    expect((await h.store.opportunities.audit(5)).map((a) => [a.action, a.by])).toContainEqual([
      "create",
      `slack:${TEAM}:${worker}`,
    ]);
    const posted = h.fake.posted().find((m) => m.text.startsWith("Posted: Rhyme time"));
    expect(posted).toBeDefined();
    const id = upcoming?.opportunity.id as string;

    await press(worker, "sprout_reach", id, "1700000000.000100");
    const reach = h.fake.calls.filter((c) => c.method === "chat.update").at(-1);
    expect(String(reach?.params.text)).toBe("2 families: telegram 2 · en 2");
    const reachBlocks = readBlocks(parsed(reach?.params.blocks));
    expect(reachBlocks.sections[0]).toContain("Rhyme time");
    expect(reachBlocks.buttons.map((b) => [b.action_id, b.text])).toEqual([
      ["sprout_send", "Send now"],
      ["sprout_cancel", "Cancel"],
    ]);
    expect(sent).toHaveLength(0); // the reach is only counted

    // Someone else pressing the same buttons is told who may, and nothing is sent.
    await press(stranger, "sprout_send", id, "1700000000.000100");
    expect(h.fake.posted(dmOf(stranger)).at(-1)?.text).toBe(REFUSAL);

    // A double press sends once.
    await Promise.all([
      press(worker, "sprout_send", id, "1700000000.000100"),
      press(worker, "sprout_send", id, "1700000000.000100"),
    ]);
    await queue.idle();
    expect(sent.map((s) => s.familyId).sort()).toEqual(["telegram:91", "telegram:92"]);
    // The progress message ends showing what was sent.
    for (let i = 0; i < 40; i++) {
      const last = h.fake.calls.filter((c) => c.method === "chat.update").at(-1);
      if (String(last?.params.text).startsWith("📣 Done")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const last = h.fake.calls.filter((c) => c.method === "chat.update").at(-1);
    expect(String(last?.params.text)).toBe(
      "📣 Done: 2 sent, 0 delivered, 0 failed, 0 skipped of 2",
    );
    expect(last?.params.ts).toBe("1700000000.000100");
    expect(readBlocks(parsed(last?.params.blocks)).buttons).toEqual([]);
    expect(sent).toHaveLength(2);
    const audit = await h.store.opportunities.audit(5);
    expect(audit.map((a) => [a.action, a.by])).toContainEqual([
      "broadcast",
      `slack:${TEAM}:${worker}`,
    ]);
  });
});

describe("who may post, and the progress message's pace", () => {
  const POSTERS = "C0POSTERS1";
  const TS = "1700000000.000200";
  let h: Harness;
  const member = newUser();
  const outsider = newUser();
  const counts = { queued: 7, sent: 0, delivered: 0, failed: 0, skipped: 0 };
  // Only what updateProgress reads of the broadcaster.
  const broadcasts = {
    async status(id: string) {
      const done = counts.sent + counts.failed + counts.skipped >= counts.queued;
      return {
        id,
        opportunityId: "gone",
        status: done ? "done" : "sending",
        counts: { ...counts },
        progress: { channel: "D0WORKER01", ts: TS },
      };
    },
  } as unknown as Broadcasts;

  beforeAll(async () => {
    const store = createMemoryStore();
    h = await startHarness(store, {
      community: {
        opportunities: store.opportunities,
        places,
        broadcasts: () => broadcasts,
        posters: { users: [], channel: POSTERS },
        now: () => NOW,
      },
    });
    h.fake.setMembers(POSTERS, [member, "U0BOTUSER1"]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("members of SLACK_POSTERS_CHANNEL may post; the members are asked once, then remembered", async () => {
    h.fake.failNext("users.info", { status: 200, body: { ok: false, error: "user_not_found" } });
    for (const [user, text] of [
      [member, "post"],
      [member, "Post "],
      [outsider, "post"],
    ] as const) {
      await slash(h, user, text);
      await h.channel.idle();
    }
    expect(h.fake.calls.filter((c) => c.method === "views.open")).toHaveLength(2);
    expect(h.fake.calls.filter((c) => c.method === "conversations.members")).toHaveLength(1);
    expect(h.fake.calls.find((c) => c.method === "conversations.members")?.params.channel).toBe(
      POSTERS,
    );
    expect(h.fake.posted(dmOf(outsider)).map((m) => m.text)).toEqual([REFUSAL]);
    expect(h.fake.posted(dmOf(member))).toEqual([]);
    // users.info failed for the first: its time zone starts as UTC.
    const opened = h.fake.calls.filter((c) => c.method === "views.open");
    const zoneOf = (c: (typeof opened)[number] | undefined) =>
      (parsed(c?.params.view) as Json).blocks.find(
        (b: { block_id: string }) => b.block_id === "timezone",
      ).element.initial_value;
    expect(zoneOf(opened[0])).toBe("UTC");
    expect(zoneOf(opened[1])).toBe("America/Los_Angeles"); // the fake's default
  });

  it("an outsider's modal submission is refused under the form, never an error", async () => {
    const res = await h.postForm(
      `payload=${encodeURIComponent(JSON.stringify(submission(outsider, "sprout_post", FORM)))}`,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_action: "errors", errors: { title: REFUSAL } });
  });

  it("progress: at most one update a second, and the last news always shown", async () => {
    const updates = () =>
      h.fake.calls.filter((c) => c.method === "chat.update" && c.params.ts === TS);
    counts.sent = 1;
    const first = h.channel.updateProgress("b0000000000000001");
    for (let i = 0; i < 3; i++) {
      counts.sent++;
      void h.channel.updateProgress("b0000000000000001");
    }
    await first;
    expect(updates().map((c) => c.params.text)).toEqual([
      "📣 Sending: 4 sent, 0 delivered, 0 failed, 0 skipped of 7",
    ]);
    const more: Promise<void>[] = [];
    for (let i = 0; i < 3; i++) {
      counts.sent++;
      more.push(h.channel.updateProgress("b0000000000000001"));
      await new Promise((r) => setTimeout(r, 100));
    }
    await Promise.all(more);
    const seen = updates();
    expect(seen.map((c) => c.params.text)).toEqual([
      "📣 Sending: 4 sent, 0 delivered, 0 failed, 0 skipped of 7",
      "📣 Done: 7 sent, 0 delivered, 0 failed, 0 skipped of 7",
    ]);
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });
});
