import twilio from "twilio";
import { createKeyedQueue } from "../../core/keyed-queue.ts";
import { type Logger, redact } from "../../core/pipeline.ts";
import type { FamilyId, Outbound } from "../../core/types.ts";
import { type SendOptions, type SendOutcome, WINDOW_MS } from "../channel.ts";
import { type ObservedResponse, observeResponse } from "./http-client.ts";
import { type ContentSids, renderForWhatsApp, type WhatsAppMessage } from "./render.ts";

export { WINDOW_MS };
/** Longest wait for one retry, whatever `Retry-After` says. */
export const MAX_RETRY_DELAY_MS = 60_000;

/** Twilio error codes meaning the person cannot be reached: never retried. */
export const UNREACHABLE_CODES: Readonly<Record<number, string>> = {
  63014: "blocked",
  63024: "invalid-recipient",
  21610: "unsubscribed",
};

/** The part of the twilio client this file uses (a fake in unit tests, if ever needed). */
export interface MessagesApi {
  messages: {
    create(params: {
      from: string;
      to: string;
      body?: string;
      contentSid?: string;
      contentVariables?: string;
      statusCallback?: string;
    }): Promise<unknown>;
  };
}

/** What to do about one failed create. */
type Verdict =
  | { kind: "retry"; delayMs: number; reason: string }
  | { kind: "unreachable"; reason: string }
  | { kind: "failed"; reason: string };

/** Seconds or an HTTP date, as milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== "string" && typeof raw !== "number") return undefined;
  const text = String(raw).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** twilio's transport (axios) failed: no answer from Twilio (refused, reset, timed out). */
const isNetworkError = (err: unknown) =>
  typeof err === "object" && err !== null && "isAxiosError" in err && err.isAxiosError === true;

/** Twilio's messages may quote the number ("The 'To' number +1555… is not valid"): never kept. */
const scrub = (text: string) => text.replace(/\+?\d{7,}/g, "<number>");

function judge(err: unknown, seen: ObservedResponse, backoffMs: number): Verdict {
  if (err instanceof twilio.RestException) {
    const code = err.code ?? 0;
    const unreachable = UNREACHABLE_CODES[code];
    if (unreachable) return { kind: "unreachable", reason: unreachable };
    const reason = `${err.status} ${code} ${scrub(err.message)}`;
    if (err.status === 429) {
      const wait = retryAfterMs(seen.headers?.["retry-after"]) ?? backoffMs;
      return { kind: "retry", delayMs: Math.min(wait, MAX_RETRY_DELAY_MS), reason };
    }
    if (err.status >= 500) return { kind: "retry", delayMs: backoffMs, reason };
    return { kind: "failed", reason };
  }
  if (isNetworkError(err)) return { kind: "retry", delayMs: backoffMs, reason: "network" };
  return { kind: "failed", reason: scrub(String(err)) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends to WhatsApp families through Twilio's Messages REST API: one family's messages strictly
 * one after the other (across calls too), 429 / 5xx / network errors retried with bounded
 * back-off, blocks marking the family unreachable, the 24-hour window respected. Never throws.
 */
export function createWhatsAppSender(opts: {
  client: MessagesApi;
  from: string;
  statusCallback: string;
  contentSids?: ContentSids;
  onUnreachable: (familyId: FamilyId, reason: string) => Promise<void>;
  logger: Logger;
  maxRetries?: number;
  retryBaseMs?: number;
  now?: () => number;
}) {
  const maxRetries = opts.maxRetries ?? 3;
  const retryBaseMs = opts.retryBaseMs ?? 500;
  const now = opts.now ?? Date.now;
  const queue = createKeyedQueue();

  /** One create, retried while it may help; resolves to why it stopped, or null when sent. */
  async function deliver(
    to: FamilyId,
    message: WhatsAppMessage,
    statusCallback: string,
  ): Promise<Verdict | null> {
    const params =
      "body" in message
        ? { body: message.body }
        : {
            contentSid: message.contentSid,
            contentVariables: JSON.stringify(message.contentVariables),
          };
    for (let attempt = 0; ; attempt++) {
      const seen: ObservedResponse = {};
      try {
        await observeResponse(seen, () =>
          opts.client.messages.create({
            from: opts.from,
            to,
            ...params,
            statusCallback,
          }),
        );
        return null;
      } catch (err) {
        const backoff = retryBaseMs * 2 ** attempt * (0.5 + Math.random() / 2);
        const verdict = judge(err, seen, backoff);
        if (verdict.kind !== "retry" || attempt >= maxRetries) return verdict;
        opts.logger.info("whatsapp send retried", {
          family: redact(to),
          reason: verdict.reason,
          delayMs: Math.round(verdict.delayMs),
        });
        await sleep(verdict.delayMs);
      }
    }
  }

  async function sendNow(
    familyId: FamilyId,
    messages: readonly Outbound[],
    o: SendOptions,
  ): Promise<SendOutcome> {
    const outside = o.lastInboundAt !== undefined && now() - o.lastInboundAt > WINDOW_MS;
    if (outside && !o.template) return { status: "skipped", reason: "outside-24h-window" };
    const rendered: WhatsAppMessage[] =
      outside && o.template
        ? [{ contentSid: o.template.contentSid, contentVariables: o.template.variables }]
        : messages.flatMap((m) => renderForWhatsApp(m, opts.contentSids));
    const callback = o.tag
      ? `${opts.statusCallback}?tag=${encodeURIComponent(o.tag)}`
      : opts.statusCallback;
    let count = 0;
    for (const message of rendered) {
      const stop = await deliver(familyId, message, callback);
      if (!stop) {
        count++;
        continue;
      }
      if (stop.kind === "unreachable") {
        await opts.onUnreachable(familyId, stop.reason).catch((err: unknown) =>
          opts.logger.error("markUnreachable failed", {
            family: redact(familyId),
            error: String(err),
          }),
        );
        return { status: "unreachable", reason: stop.reason };
      }
      opts.logger.error("whatsapp send failed", {
        family: redact(familyId),
        reason: stop.reason,
        sent: count,
      });
      return { status: "failed", reason: stop.reason };
    }
    return { status: "sent", count };
  }

  return {
    /** Sends after the family's previous send finished, so their messages never interleave. */
    send(familyId: FamilyId, messages: readonly Outbound[], o: SendOptions = {}) {
      const task = () =>
        sendNow(familyId, messages, o).catch(
          (err: unknown): SendOutcome => ({ status: "failed", reason: scrub(String(err)) }),
        );
      return queue.run(familyId, task);
    },
    /** Resolves once every send under way has finished. */
    idle: () => queue.idle(),
  };
}
