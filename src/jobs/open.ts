import type { Config } from "../config.ts";
import { createBullQueue } from "./bullmq.ts";
import { createMemoryQueue, type JobQueue, type QueueOptions } from "./queue.ts";

/** The job queue the configuration asks for: BullMQ when REDIS_URL is set, else in-process. */
export function openQueue(
  config: Pick<
    Config,
    "REDIS_URL" | "REDIS_PREFIX" | "TELEGRAM_SEND_RATE" | "WHATSAPP_SEND_RATE" | "SLACK_SEND_RATE"
  >,
  opts: QueueOptions = {},
): JobQueue {
  const rates = {
    telegram: config.TELEGRAM_SEND_RATE,
    whatsapp: config.WHATSAPP_SEND_RATE,
    slack: config.SLACK_SEND_RATE,
    ...opts.rates,
  };
  return config.REDIS_URL
    ? createBullQueue({
        ...opts,
        rates,
        url: config.REDIS_URL,
        prefix: `${config.REDIS_PREFIX}bull`,
      })
    : createMemoryQueue({ ...opts, rates });
}
