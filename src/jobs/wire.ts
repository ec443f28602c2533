import { type Broadcasts, createBroadcasts } from "../broadcasts/broadcasts.ts";
import type { Channel } from "../channels/channel.ts";
import type { SlackChannel } from "../channels/slack/index.ts";
import type { Config } from "../config.ts";
import type { Content } from "../content.ts";
import type { Logger, Pipeline } from "../core/pipeline.ts";
import type { Store } from "../store/store.ts";
import { createTipsRunner } from "../tips/runner.ts";
import type { JobData, JobQueue, JobResult } from "./queue.ts";

/**
 * Weekly tips and broadcasts over one job queue, as both entries (Node, Workers) wire them:
 * `run` does one job, `tick` takes what is due (tips, reminders).
 */
export function createJobs(deps: {
  config: Config;
  content: Content;
  store: Store;
  queue: JobQueue;
  pipeline: Pipeline;
  channels: readonly Channel[];
  logger: Logger;
  /** Keeps work going after a job's answer (Workers: the invocation's waitUntil). */
  waitUntil?: (p: Promise<unknown>) => void;
}) {
  const { config, content, store, queue, pipeline, logger } = deps;
  const channels = new Map(deps.channels.map((c) => [c.name, c]));
  const slack = deps.channels.find((c): c is SlackChannel => c.name === "slack");
  const tips = createTipsRunner({
    store,
    queue,
    pipeline,
    channels,
    content,
    logger,
    whatsappTemplate: config.TWILIO_CONTENT_TIPS,
  });
  const broadcasts: Broadcasts = createBroadcasts({
    store,
    queue,
    pipeline,
    channels,
    speech: content.speech,
    logger,
    whatsappTemplate: config.TWILIO_CONTENT_BROADCAST,
    onProgress: (id) => {
      const shown = slack?.updateProgress(id);
      if (shown) deps.waitUntil?.(shown);
    },
  });
  return {
    tips,
    broadcasts,
    run(job: JobData): Promise<JobResult> {
      if (job.kind === "tip") return tips.run(job.familyId, job.slot);
      if (job.kind === "broadcast") return broadcasts.run(job.familyId, job.broadcastId);
      return broadcasts.remind(job.familyId, job.opportunityId);
    },
    async tick(at?: Date) {
      const [t, reminders] = await Promise.all([tips.tick(at), broadcasts.tickReminders(at)]);
      return { tips: t.enqueued, dropped: t.dropped, reminders };
    },
  };
}
