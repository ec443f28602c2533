import { webApi } from "@slack/bolt";
import { createKeyedQueue } from "../../core/keyed-queue.ts";
import { type Logger, redact } from "../../core/pipeline.ts";
import type { FamilyId, Outbound } from "../../core/types.ts";
import type { SendOutcome } from "../channel.ts";
import { parseSlackFamilyId } from "./parse.ts";
import { renderForSlack, type SlackBlock } from "./render.ts";

/** Web API errors meaning the person cannot be reached: the family is marked, never retried. */
export const UNREACHABLE_ERRORS: ReadonlySet<string> = new Set([
  "account_inactive",
  "user_not_found",
  "cannot_dm_bot",
  "user_disabled",
]);
/** Errors after which a remembered DM channel is forgotten (opened again next time). */
const STALE_CHANNEL_ERRORS: ReadonlySet<string> = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
]);
/** Longest wait for one rate-limit retry, whatever `Retry-After` says. */
export const MAX_RETRY_AFTER_MS = 30_000;
/** Most DM channels remembered at once. */
const CHANNEL_CACHE_SIZE = 10_000;

/** The part of WebClient this file uses. */
export interface SlackSendApi {
  chat: {
    postMessage(args: {
      channel: string;
      text: string;
      blocks: SlackBlock[];
      unfurl_links: boolean;
      unfurl_media: boolean;
    }): Promise<unknown>;
  };
  conversations: { open(args: { users: string }): Promise<{ channel?: { id?: string } }> };
}

/** Why a call stopped: wait and retry, the person is gone, or give up. */
type Verdict =
  | { kind: "retry"; delayMs: number; reason: string }
  | { kind: "unreachable"; reason: string }
  | { kind: "failed"; reason: string };

const { ErrorCode } = webApi;

/**
 * What a WebClient error means. 5xx and network errors were already retried by the client's
 * `retryConfig` (bounded back-off); a 429 comes back at once (`rejectRateLimitedCalls`) so it
 * is retried here after its `Retry-After`.
 */
function judge(err: unknown): Verdict {
  const e = err as { code?: unknown; data?: { error?: unknown }; retryAfter?: unknown };
  if (e?.code === ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === "number" ? e.retryAfter : 1;
    return {
      kind: "retry",
      delayMs: Math.min(Math.max(seconds, 0) * 1000, MAX_RETRY_AFTER_MS),
      reason: "ratelimited",
    };
  }
  if (e?.code === ErrorCode.PlatformError) {
    const reason = String(e.data?.error ?? "platform_error");
    return UNREACHABLE_ERRORS.has(reason)
      ? { kind: "unreachable", reason }
      : { kind: "failed", reason };
  }
  const code = e?.code;
  if (code === ErrorCode.HTTPError) {
    const status = (err as { statusCode?: unknown }).statusCode;
    return { kind: "failed", reason: `http ${String(status)}` };
  }
  if (code === ErrorCode.RequestError) return { kind: "failed", reason: "network" };
  return { kind: "failed", reason: "error" };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class StopError extends Error {
  readonly verdict: Verdict;
  constructor(verdict: Verdict) {
    super(verdict.reason);
    this.verdict = verdict;
  }
}

/**
 * Sends to Slack families: each family's messages strictly in order (across calls too), to the
 * DM they wrote in or one opened with `conversations.open`; a 429 waits `Retry-After` (at most
 * 30 s, `maxRateLimitRetries` times); an unreachable person marks the family. Never throws.
 */
export function createSlackSender(opts: {
  client: SlackSendApi;
  onUnreachable: (familyId: FamilyId, reason: string) => Promise<void>;
  logger: Logger;
  maxRateLimitRetries?: number;
}) {
  const maxRetries = opts.maxRateLimitRetries ?? 3;
  const queue = createKeyedQueue();
  const channels = new Map<FamilyId, string>();

  function remember(familyId: FamilyId, channel: string) {
    channels.delete(familyId);
    channels.set(familyId, channel);
    if (channels.size > CHANNEL_CACHE_SIZE) {
      const oldest = channels.keys().next().value;
      if (oldest !== undefined) channels.delete(oldest);
    }
  }

  /** One Web API call, retried after a 429 while it may help. */
  async function call<T>(familyId: FamilyId, task: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await task();
      } catch (err) {
        const verdict = judge(err);
        if (verdict.kind !== "retry" || attempt >= maxRetries) throw new StopError(verdict);
        opts.logger.info("slack call retried", {
          family: redact(familyId),
          reason: verdict.reason,
          delayMs: verdict.delayMs,
        });
        await sleep(verdict.delayMs);
      }
    }
  }

  async function dmChannel(familyId: FamilyId): Promise<string> {
    const known = channels.get(familyId);
    if (known) return known;
    const ids = parseSlackFamilyId(familyId);
    if (!ids) throw new StopError({ kind: "failed", reason: "not a slack family" });
    const opened = await call(familyId, () => opts.client.conversations.open({ users: ids.user }));
    const id = opened.channel?.id;
    if (!id) throw new StopError({ kind: "failed", reason: "no DM channel" });
    remember(familyId, id);
    return id;
  }

  async function sendNow(
    familyId: FamilyId,
    messages: readonly Outbound[],
    channel: string | undefined,
  ): Promise<SendOutcome> {
    let count = 0;
    try {
      const to = channel ?? (await dmChannel(familyId));
      for (const message of messages) {
        const { text, blocks } = renderForSlack(message);
        await call(familyId, () =>
          opts.client.chat.postMessage({
            channel: to,
            text,
            blocks,
            unfurl_links: false,
            unfurl_media: false,
          }),
        );
        count++;
      }
      return { status: "sent", count };
    } catch (err) {
      const verdict = err instanceof StopError ? err.verdict : judge(err);
      if (verdict.kind === "unreachable") {
        await opts.onUnreachable(familyId, verdict.reason).catch((e: unknown) =>
          opts.logger.error("markUnreachable failed", {
            family: redact(familyId),
            error: String(e),
          }),
        );
        return { status: "unreachable", reason: verdict.reason };
      }
      if (STALE_CHANNEL_ERRORS.has(verdict.reason)) channels.delete(familyId);
      opts.logger.error("slack send failed", {
        family: redact(familyId),
        reason: verdict.reason,
        sent: count,
      });
      return { status: "failed", reason: verdict.reason };
    }
  }

  return {
    /**
     * Sends after the family's previous send finished. `channel` is the DM the family wrote in
     * (remembered for later sends); without it the DM is opened.
     */
    send(
      familyId: FamilyId,
      messages: readonly Outbound[],
      channel?: string,
    ): Promise<SendOutcome> {
      if (channel) remember(familyId, channel);
      const task = () =>
        sendNow(familyId, messages, channel).catch(
          (): SendOutcome => ({ status: "failed", reason: "error" }),
        );
      return queue.run(familyId, task);
    },
    /** Resolves once every send under way has finished. */
    idle: () => queue.idle(),
  };
}
