/**
 * Proactive sends (weekly tips, broadcasts, reminders) go through a job queue: one job a
 * family, identified so a repeat adds nothing, paced per channel, retried with back-off.
 * Two implementations with the same semantics: in-process (embedded default) and BullMQ.
 */

export type JobData =
  | { kind: "tip"; familyId: string; slot: number }
  | { kind: "broadcast"; familyId: string; broadcastId: string }
  | { kind: "reminder"; familyId: string; opportunityId: string };

export interface Job {
  /** Unique per piece of work (`tip:<family>:<slot>`): adding it again while queued adds nothing. */
  id: string;
  /** Which platform's pace it goes at. */
  channel: string;
  data: JobData;
  /** Not before this many milliseconds from now. */
  delayMs?: number;
}

/** What became of a job: done (sent, skipped or given up), or to run again later (quiet hours). */
export type JobResult = { status: "done" } | { status: "defer"; until: number };

/** Thrown by a job when the platform said 429: the channel waits `ms`, the job runs again. */
export class RetryLater extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`rate limited: retry in ${ms} ms`);
    this.name = "RetryLater";
    this.ms = ms;
  }
}

export type Runner = (data: JobData) => Promise<JobResult>;

export interface JobQueue {
  add(jobs: readonly Job[]): Promise<void>;
  /** Starts taking jobs (once). */
  start(run: Runner): void;
  /** Resolves when nothing is queued, delayed or running (tests, CLIs). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Messages a second per channel (DESIGN.md: Telegram ~30/s, Twilio WhatsApp ~10/s per sender). */
export const DEFAULT_RATES: Record<string, number> = {
  telegram: 30,
  whatsapp: 10,
  slack: 5,
  console: 1000,
};

export interface QueueOptions {
  /** Sends a second, by channel. */
  rates?: Record<string, number>;
  /** Tries before a job is given up (logged). */
  attempts?: number;
  /** First retry after this; doubles each time. */
  backoffMs?: number;
  onFailed?: (data: JobData, error: unknown) => void;
}

interface Lane {
  pending: Job[];
  /** Earliest time the next job may start (the pace). */
  nextAt: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The in-process queue: FIFO per channel, paced by a fixed interval (1 / rate), delayed jobs on
 * timers, failures retried with exponential back-off. Jobs are lost on restart; the store's
 * schedule and done marks make the next start pick up what was due.
 * @example const q = createMemoryQueue({ rates: { telegram: 30 } }); q.start(run); await q.add(jobs)
 */
export function createMemoryQueue(opts: QueueOptions = {}): JobQueue {
  const rates = { ...DEFAULT_RATES, ...opts.rates };
  const attempts = opts.attempts ?? 5;
  const backoffMs = opts.backoffMs ?? 1000;
  const lanes = new Map<string, Lane>();
  const active = new Set<string>();
  const tries = new Map<string, number>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let runner: Runner | undefined;
  let running = 0;
  let closed = false;
  let waiters: Array<() => void> = [];

  const lane = (channel: string) => {
    let l = lanes.get(channel);
    if (!l) {
      l = { pending: [], nextAt: 0 };
      lanes.set(channel, l);
    }
    return l;
  };
  const settle = () => {
    if (active.size > 0 || running > 0) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const enqueue = (job: Job) => {
    if (closed) return;
    lane(job.channel).pending.push(job);
    pump(job.channel);
  };

  function pump(channel: string) {
    const l = lane(channel);
    if (!runner || l.timer || closed) return;
    const interval = 1000 / (rates[channel] ?? 10);
    while (l.pending.length > 0) {
      const now = Date.now();
      if (now < l.nextAt) {
        l.timer = setTimeout(() => {
          l.timer = undefined;
          pump(channel);
        }, l.nextAt - now);
        return;
      }
      l.nextAt = Math.max(now, l.nextAt) + interval;
      void execute(l.pending.shift() as Job);
    }
  }

  async function execute(job: Job) {
    running++;
    try {
      const result = await (runner as Runner)(job.data);
      if (result.status === "defer") {
        later(Math.max(0, result.until - Date.now()), () => enqueue(job));
        return;
      }
      active.delete(job.id);
      tries.delete(job.id);
    } catch (err) {
      const n = (tries.get(job.id) ?? 0) + 1;
      if (err instanceof RetryLater) {
        const l = lane(job.channel);
        l.nextAt = Math.max(l.nextAt, Date.now() + err.ms);
        tries.set(job.id, n);
        enqueue(job);
      } else if (n < attempts) {
        tries.set(job.id, n);
        later(backoffMs * 2 ** (n - 1), () => enqueue(job));
      } else {
        active.delete(job.id);
        tries.delete(job.id);
        opts.onFailed?.(job.data, err);
      }
    } finally {
      running--;
      settle();
    }
  }

  return {
    async add(jobs) {
      for (const job of jobs) {
        if (active.has(job.id)) continue;
        active.add(job.id);
        if (job.delayMs && job.delayMs > 0) later(job.delayMs, () => enqueue(job));
        else enqueue(job);
      }
    },
    start(run) {
      runner = run;
      for (const channel of lanes.keys()) pump(channel);
    },
    idle() {
      if (active.size === 0 && running === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      for (const l of lanes.values()) if (l.timer) clearTimeout(l.timer);
      timers.clear();
      active.clear();
      settle();
    },
  };
}
