import { type Job as BullJob, DelayedError, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import {
  DEFAULT_RATES,
  type Job,
  type JobData,
  type JobQueue,
  type QueueOptions,
  RetryLater,
  type Runner,
} from "./queue.ts";

const CHANNELS = ["telegram", "whatsapp", "slack", "console"];
/**
 * Pacing shared by every process: each job takes the next free slot on its channel's clock in
 * Redis (slots 1/rate apart, by Redis' own time) and waits for it. BullMQ's limiter counts fixed
 * windows (bursts at their edges) and loses time handing jobs over; this lands on the rate.
 */
/** A little under the limit, so network jitter never puts one more in a platform's second. */
const PACE_MARGIN = 0.97;
const PACE = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, free) + tonumber(ARGV[2])
redis.call('SET', KEYS[1], at + tonumber(ARGV[1]), 'PX', 600000)
return at - now`;

/**
 * The job queue on Redis (BullMQ), so several server processes share the work. Open-source
 * BullMQ limits rate per queue, so each channel has its own queue paced at its platform's rate.
 * A job id is unique per piece of work (a second add while it exists adds nothing); a process
 * killed mid-job leaves it stalled and another process runs it again.
 * @example const q = createBullQueue({ url: "redis://127.0.0.1:6379" }); q.start(run)
 */
export function createBullQueue(
  opts: QueueOptions & { url: string; prefix?: string },
): JobQueue & { queues: Map<string, Queue> } {
  const rates = { ...DEFAULT_RATES, ...opts.rates };
  const connection = new Redis(opts.url, { maxRetriesPerRequest: null });
  connection.defineCommand("sproutPace", { numberOfKeys: 1, lua: PACE });
  /** Waits for this job's slot on the channel (`extraMs` pushes the clock on first, after a 429). */
  const pace = async (channel: string, rate: number, extraMs = 0) => {
    const wait = await (
      connection as unknown as {
        sproutPace(key: string, interval: number, extra: number): Promise<number>;
      }
    ).sproutPace(`${prefix}:pace:${channel}`, 1000 / (rate * PACE_MARGIN), extraMs);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
  const prefix = opts.prefix ?? "sprout:bull";
  const queues = new Map<string, Queue>();
  const workers: Worker[] = [];
  const connections: Redis[] = [connection];
  const queue = (channel: string) => {
    let q = queues.get(channel);
    if (!q) {
      q = new Queue(`send-${channel}`, {
        connection,
        prefix,
        defaultJobOptions: {
          attempts: opts.attempts ?? 5,
          backoff: { type: "exponential", delay: opts.backoffMs ?? 1000 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      });
      queues.set(channel, q);
    }
    return q;
  };

  return {
    queues,
    async add(jobs) {
      const byChannel = new Map<string, Job[]>();
      for (const j of jobs) byChannel.set(j.channel, [...(byChannel.get(j.channel) ?? []), j]);
      for (const [channel, list] of byChannel)
        await queue(channel).addBulk(
          list.map((j) => ({
            name: j.data.kind,
            data: j.data,
            // BullMQ's ids may not hold ":" (its key separator): escaped, still one-to-one.
            opts: {
              jobId: j.id.replaceAll("%", "%25").replaceAll(":", "%3A"),
              ...(j.delayMs ? { delay: j.delayMs } : {}),
            },
          })),
        );
    },
    start(run: Runner) {
      for (const channel of CHANNELS) {
        const rate = rates[channel] ?? 10;
        const worker: Worker = new Worker(
          `send-${channel}`,
          async (job: BullJob<JobData>, token?: string) => {
            try {
              await pace(channel, rate);
              const result = await run(job.data);
              if (result.status === "defer") {
                await job.moveToDelayed(result.until, token);
                throw new DelayedError();
              }
            } catch (err) {
              if (err instanceof RetryLater) {
                await pace(channel, rate, err.ms);
                await worker.rateLimit(err.ms);
                throw Worker.RateLimitError();
              }
              throw err;
            }
          },
          {
            connection: (() => {
              const c = connection.duplicate();
              connections.push(c);
              return c;
            })(),
            prefix,
            concurrency: Math.max(1, Math.min(50, Math.ceil(rate))),
            // A process that dies mid-job: its jobs are taken up by another within ~20 s.
            lockDuration: 15_000,
            stalledInterval: 5_000,
          },
        );
        worker.on("failed", (job, err) => {
          if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) opts.onFailed?.(job.data, err);
        });
        workers.push(worker);
      }
    },
    async idle() {
      for (;;) {
        let busy = 0;
        for (const channel of CHANNELS) {
          const c = await queue(channel).getJobCounts(
            "waiting",
            "active",
            "delayed",
            "prioritized",
          );
          busy += Object.values(c).reduce((a, b) => a + b, 0);
        }
        if (busy === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      for (const c of connections) c.disconnect();
    },
  };
}
