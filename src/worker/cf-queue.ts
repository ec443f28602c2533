import type { Job, JobQueue } from "../jobs/queue.ts";

/** The part of a Cloudflare Queue producer binding Sprout uses. */
export interface QueueBinding {
  sendBatch(messages: Iterable<{ body: unknown; delaySeconds?: number }>): Promise<unknown>;
}

/** Cloudflare Queues allow at most 100 messages a batch. */
const MAX_BATCH = 100;

/**
 * The job queue on Workers: jobs go to a Cloudflare Queue (the `queue` handler of src/worker.ts
 * consumes them). Queues do not deduplicate by id: the done marks and leases in the store make
 * each send happen once, as with the other queues.
 */
export function createCloudflareQueue(binding: () => QueueBinding): JobQueue {
  return {
    async add(jobs: readonly Job[]) {
      for (let i = 0; i < jobs.length; i += MAX_BATCH)
        await binding().sendBatch(
          jobs.slice(i, i + MAX_BATCH).map((j) => ({
            body: { id: j.id, channel: j.channel, data: j.data },
            ...(j.delayMs ? { delaySeconds: Math.min(43_200, Math.ceil(j.delayMs / 1000)) } : {}),
          })),
        );
    },
    start() {},
    async idle() {},
    async close() {},
  };
}
