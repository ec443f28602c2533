/**
 * Slack needs its answer within 3 seconds: the webhook answers on `ack` while the work goes on,
 * and a failing handler is logged and answered 200 (never a redelivery storm).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Pipeline } from "../../../src/core/pipeline.ts";
import { createMemoryStore } from "../../../src/store/memory.ts";
import {
  buttonPress,
  dmEvent,
  familyOf,
  type Harness,
  newUser,
  slashCommand,
  startHarness,
} from "./harness.ts";

const SLOW_MS = 4000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The real pipeline, 4 s late on every turn, and failing outright on "boom". */
const misbehaving = (p: Pipeline): Pipeline => ({
  async handle(inbound, o) {
    if (inbound.event.kind === "text" && inbound.event.text === "boom")
      throw new Error(`pipeline exploded for ${inbound.familyId}`);
    await sleep(SLOW_MS);
    return p.handle(inbound, o);
  },
  markUnreachable: (id, reason) => p.markUnreachable(id, reason),
  withFamily: (id, work) => p.withFamily(id, work),
});

describe("Slack webhook timing", () => {
  let h: Harness;
  const handedOver: Promise<unknown>[] = [];
  beforeAll(async () => {
    h = await startHarness(createMemoryStore(), {
      wrapPipeline: misbehaving,
      waitUntil: (p) => void handedOver.push(p),
    });
  });
  afterEach(() => {
    h.fake.reset();
    handedOver.length = 0;
  });
  afterAll(() => h.close());

  it("answers at once (well within 3 s) while a slow pipeline works, then the replies arrive", async () => {
    const [a, b, c] = [newUser(), newUser(), newUser()];
    const started = Date.now();
    const timed = async (res: Promise<Response>) => {
      const r = await res;
      return { status: r.status, ms: Date.now() - started };
    };
    const answers = await Promise.all([
      timed(h.postJson(dmEvent(a, "idea"))),
      timed(h.postForm(`payload=${encodeURIComponent(JSON.stringify(buttonPress(b, "idea")))}`)),
      timed(h.postForm(slashCommand(c, "idea"))),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.ms).toBeLessThan(1500); // acked at once, not the 2.5 s fallback
    }
    expect(h.fake.posted()).toEqual([]);
    expect(handedOver).toHaveLength(3);

    await Promise.all(handedOver);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS);
    for (const user of [a, b, c]) expect(h.posts(user).at(-1)?.text).toContain("You need:");
  }, 20_000);

  it("a handler that throws is logged and answered 200; nothing leaks into the log", async () => {
    const user = newUser();
    const res = await h.postJson(dmEvent(user, "boom"));
    expect(res.status).toBe(200);
    await h.channel.idle();
    const log = h.logger.lines.join("\n");
    expect(log).toContain("slack listener failed");
    expect(log).toContain("pipeline exploded");
    expect(log).not.toContain(user);
    expect(h.fake.posted()).toEqual([]);
    expect(await h.store.loadFamily(familyOf(user))).toBeNull();
  });
});
