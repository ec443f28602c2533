import { afterEach, describe, expect, it } from "vitest";
import { createBullQueue } from "../../src/jobs/bullmq.ts";
import {
  createMemoryQueue,
  type JobData,
  type JobQueue,
  RetryLater,
} from "../../src/jobs/queue.ts";
import { describeRedis, REDIS_URL } from "../helpers/redis.ts";

const tip = (n: number): JobData => ({ kind: "tip", familyId: `telegram:${n}`, slot: n });

/** The job queue contract: both implementations behave the same. */
function queueContract(name: string, make: (rates?: Record<string, number>) => JobQueue) {
  describe(`${name} job queue`, () => {
    const open: JobQueue[] = [];
    const queue = (rates?: Record<string, number>) => {
      const q = make(rates);
      open.push(q);
      return q;
    };
    afterEach(async () => {
      for (const q of open.splice(0)) await q.close();
    });

    it("runs each job id once, even when added again while it waits", async () => {
      const q = queue();
      const ran: number[] = [];
      const jobs = [1, 2, 3].map((n) => ({
        id: `t${n}-${Math.random()}`,
        channel: "telegram",
        data: tip(n),
      }));
      await q.add([...jobs, ...jobs]);
      await q.add(jobs);
      q.start(async (d) => {
        if (d.kind === "tip") ran.push(d.slot);
        return { status: "done" };
      });
      await q.idle();
      expect(ran.sort()).toEqual([1, 2, 3]);
    });

    it("retries a failing job with back-off, and waits when told (429, quiet hours)", async () => {
      const q = queue();
      const tries = new Map<number, number>();
      let deferredUntil = 0;
      let ranAt = 0;
      q.start(async (d) => {
        if (d.kind !== "tip") return { status: "done" };
        const n = (tries.get(d.slot) ?? 0) + 1;
        tries.set(d.slot, n);
        if (d.slot === 1 && n < 3) throw new Error("platform 500");
        if (d.slot === 2 && n === 1) throw new RetryLater(300);
        if (d.slot === 3 && n === 1) {
          deferredUntil = Date.now() + 400;
          return { status: "defer", until: deferredUntil };
        }
        if (d.slot === 3) ranAt = Date.now();
        return { status: "done" };
      });
      await q.add(
        [1, 2, 3].map((n) => ({ id: `r${n}-${Math.random()}`, channel: "telegram", data: tip(n) })),
      );
      await q.idle();
      expect(tries.get(1)).toBe(3);
      expect(tries.get(2)).toBe(2);
      expect(tries.get(3)).toBe(2);
      expect(ranAt).toBeGreaterThanOrEqual(deferredUntil - 20);
    });

    it("paces a channel at its rate", async () => {
      const q = queue({ telegram: 10 });
      const at: number[] = [];
      q.start(async () => {
        at.push(Date.now());
        return { status: "done" };
      });
      await q.add(
        Array.from({ length: 12 }, (_, n) => ({
          id: `p${n}-${Math.random()}`,
          channel: "telegram",
          data: tip(n),
        })),
      );
      await q.idle();
      expect(at).toHaveLength(12);
      // 10 a second: 12 jobs cannot all start within one second.
      expect((at.at(-1) ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(900);
    });
  });
}

queueContract("in-process", (rates) => createMemoryQueue({ backoffMs: 50, rates }));

describeRedis("bullmq", () => {
  queueContract("BullMQ", (rates) =>
    createBullQueue({
      url: REDIS_URL as string,
      prefix: `test-bull-${Math.random().toString(36).slice(2)}`,
      backoffMs: 50,
      rates,
    }),
  );
});
