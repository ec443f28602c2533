import { App } from "@slack/bolt";
import type { Mount } from "../../app.ts";
import { type Logger, type Pipeline, redact, silentLogger } from "../../core/pipeline.ts";
import type { Channel } from "../channel.ts";
import { type CommunityOptions, registerCommunity } from "./community.ts";
import { createLocaleLookup } from "./locale.ts";
import { boltLogger, describeError } from "./log.ts";
import {
  CHOICE_ACTION_PREFIX,
  parseBlockAction,
  parseMessageEvent,
  parseSlashCommand,
  type SlackInbound,
} from "./parse.ts";
import { HonoReceiver } from "./receiver.ts";
import { createSlackSender } from "./send.ts";

export { renderForSlack } from "./render.ts";
export { signSlackRequest, verifySlackSignature } from "./verify.ts";

/** Where Slack sends events, slash commands and interactivity (one Request URL for all). */
export const SLACK_WEBHOOK_PATH = "/webhooks/slack";
/** The slash command Sprout answers (see slack-manifest.yaml). */
export const SLACK_COMMAND = "/sprout";

export interface SlackChannelOptions {
  /** The bot token (`xoxb-…`). */
  botToken: string;
  signingSecret: string;
  /** The Web API base (`SLACK_API_URL`), e.g. `https://slack.com/api/`. */
  apiUrl: string;
  pipeline: Pipeline;
  logger?: Logger;
  /** Milliseconds since the epoch (signature timestamps, caches). */
  now?: () => number;
  /** Keeps work going after the webhook answered (Cloudflare's `ctx.waitUntil`). */
  waitUntil?: (p: Promise<unknown>) => void;
  /** Retries of a Web API call on 5xx or network errors (default 2). */
  maxRetries?: number;
  /** First back-off delay of those retries; doubles each time (default 500 ms). */
  retryBaseMs?: number;
  /** Retries of a call Slack rate-limited (429), each after its Retry-After (default 3). */
  maxRateLimitRetries?: number;
  /** Longest the webhook waits for an ack before answering 200 (default 2500 ms). */
  ackTimeoutMs?: number;
  /** Community workers' tools (`/sprout post`, broadcasts), when the deployment has them. */
  community?: CommunityOptions;
}

export type SlackChannel = Channel & {
  /** Resolves when every request's work and every send under way has finished. */
  idle(): Promise<void>;
  /** Shows a broadcast's progress on the Slack message it was sent from (if any). */
  updateProgress(broadcastId: string): Promise<void>;
};

/**
 * Slack through Bolt, mounted on our Hono app by a custom receiver (no second HTTP server):
 * DMs, Sprout's buttons and `/sprout` in; Block Kit replies out with `chat.postMessage`, in
 * order per family, 429 and 5xx retried within bounds, unreachable people marked. Slack gets
 * its answer at once; the work goes on (see `idle`).
 * @example const slack = createSlackChannel({ botToken, signingSecret, apiUrl, pipeline })
 */
export function createSlackChannel(opts: SlackChannelOptions): SlackChannel {
  const logger = opts.logger ?? silentLogger;
  const now = opts.now ?? Date.now;
  const retryBase = opts.retryBaseMs ?? 500;
  const receiver = new HonoReceiver({
    signingSecret: opts.signingSecret,
    logger,
    now,
    waitUntil: opts.waitUntil,
    ackTimeoutMs: opts.ackTimeoutMs,
    // One auth.test (Bolt learns the bot's ids for ignoreSelf), at the first event, not at start.
    prepare: () => app.init(),
  });
  const app = new App({
    receiver,
    token: opts.botToken,
    deferInitialization: true,
    ignoreSelf: true,
    convoStore: false,
    logger: boltLogger(logger),
    clientOptions: {
      // Workers: WebClient calls `this.fetchFn(…)` (a bare global fetch is an illegal invocation
      // there) and asks for redirect "error", which workerd does not implement ("manual" is close).
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        fetch(input, init?.redirect === "error" ? { ...init, redirect: "manual" } : init),
      // WebClient appends the method name: "https://slack.com/api" needs its slash.
      slackApiUrl: opts.apiUrl.endsWith("/") ? opts.apiUrl : `${opts.apiUrl}/`,
      retryConfig: {
        retries: opts.maxRetries ?? 2,
        factor: 2,
        minTimeout: retryBase,
        maxTimeout: retryBase * 8,
        randomize: true,
      },
      rejectRateLimitedCalls: true,
      timeout: 10_000,
    },
  });
  const sender = createSlackSender({
    client: app.client,
    onUnreachable: (familyId, reason) => opts.pipeline.markUnreachable(familyId, reason),
    logger,
    maxRateLimitRetries: opts.maxRateLimitRetries,
  });
  const locales = createLocaleLookup({ client: app.client, logger, now });

  /** One understood request: the person's language, the turn, the replies (in order). */
  async function handle(parsed: SlackInbound): Promise<void> {
    if (parsed.kind === "ignored") return;
    const localeHint = await locales.localeOf(parsed.team, parsed.user);
    const inbound = localeHint ? { ...parsed.inbound, localeHint } : parsed.inbound;
    const { familyId } = inbound;
    await opts.pipeline.handle(inbound, {
      dedupeKey: parsed.dedupeKey,
      // Sent before the family's next turn starts (and after any proactive send under way).
      deliver: async (out) => {
        if (out.length === 0) return;
        const r = await sender.send(familyId, out, parsed.channel);
        if (r.status !== "sent")
          logger.info("slack reply not delivered", {
            family: redact(familyId),
            status: r.status,
            reason: r.reason,
          });
      },
    });
  }

  app.event("message", async ({ body }) => handle(parseMessageEvent(body)));
  app.action(new RegExp(`^${CHOICE_ACTION_PREFIX}`), async ({ ack, body }) => {
    await ack();
    await handle(parseBlockAction(body));
  });
  const community = opts.community ? registerCommunity(app, opts.community, logger) : undefined;
  app.command(SLACK_COMMAND, async ({ ack, body }) => {
    await ack();
    if (community && body.text?.trim().toLowerCase() === "post") {
      const refusal = await community.openPost(body);
      if (refusal) await app.client.chat.postMessage({ channel: body.user_id, text: refusal });
      return;
    }
    await handle(parseSlashCommand(body));
  });
  app.error(async (error) => {
    logger.error("slack listener failed", { error: describeError(error) });
  });

  const webhook: Mount = { method: "POST", path: SLACK_WEBHOOK_PATH, handler: receiver.handler };

  async function idle(): Promise<void> {
    await receiver.idle();
    await sender.idle();
  }

  return {
    name: "slack",
    mounts: [webhook],
    send: (familyId, messages) => sender.send(familyId, messages),
    idle,
    updateProgress: (id) => community?.updateProgress(id) ?? Promise.resolve(),
    close: idle,
  };
}
