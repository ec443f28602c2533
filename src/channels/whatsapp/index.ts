import type { Context } from "hono";
import twilio from "twilio";
import type { Mount } from "../../app.ts";
import { type Logger, type Pipeline, redact, silentLogger } from "../../core/pipeline.ts";
import type { Channel } from "../channel.ts";
import { createOriginRewritingHttpClient } from "./http-client.ts";
import { parseInbound, parseStatus, toInbound, type WhatsAppStatus } from "./parse.ts";
import type { ContentSids } from "./render.ts";
import { createWhatsAppSender, UNREACHABLE_CODES } from "./send.ts";
import { readSignedForm } from "./verify.ts";

export type { WhatsAppStatus } from "./parse.ts";
export type { ContentSids } from "./render.ts";

/** Routes Twilio calls: inbound messages and delivery status callbacks. */
export const WHATSAPP_WEBHOOK_PATH = "/webhooks/whatsapp";
export const WHATSAPP_STATUS_PATH = "/webhooks/whatsapp/status";

/** The webhook's answer: empty TwiML (replies go out through the REST API). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const twiml = () =>
  new Response(EMPTY_TWIML, {
    status: 200,
    headers: { "content-type": "text/xml; charset=utf-8" },
  });

const badForm = (message: string) =>
  Response.json({ error: { code: "bad_form", message } }, { status: 400 });

export interface WhatsAppChannelOptions {
  accountSid: string;
  authToken: string;
  /** The sender, e.g. `whatsapp:+14155238886`. */
  from: string;
  /** Public base URL Twilio calls (signatures are for `publicUrl` + path + query). */
  publicUrl: string;
  /** Origin for every Twilio REST call (`TWILIO_API_BASE`), e.g. `https://api.twilio.com`. */
  apiBase: string;
  /** Provisioned quick-reply / list-picker templates (see `ContentSids`); numbered text without. */
  contentSids?: ContentSids;
  /** The SharedKey secret, for webhooks a Twilio Webhook Setting signs (HMAC-SHA256 or SHA1). */
  sharedKeySecret?: string;
  pipeline: Pipeline;
  logger?: Logger;
  /** Retries of one message on 429, 5xx or network errors (default 3). */
  maxRetries?: number;
  /** First back-off delay; doubles each retry (default 500 ms). */
  retryBaseMs?: number;
  /** Longest the webhook waits for its replies before answering Twilio (default 10 s; they go on). */
  replyDeadlineMs?: number;
  /**
   * Every status callback (sent, delivered, read, failed…), with the tag the message was sent
   * with (a broadcast id), e.g. for broadcast counts.
   */
  onStatus?(status: WhatsAppStatus & { tag?: string }): void | Promise<void>;
}

/**
 * WhatsApp through Twilio: signed webhooks in (403 unless genuine), replies out through the
 * Messages REST API with the real `twilio` SDK, in order per family, retried within bounds,
 * blocks noted, the 24-hour window respected.
 * @example const whatsapp = createWhatsAppChannel({ accountSid, authToken, from, publicUrl, apiBase, pipeline })
 */
export function createWhatsAppChannel(opts: WhatsAppChannelOptions): Channel {
  const logger = opts.logger ?? silentLogger;
  const base = opts.publicUrl.replace(/\/+$/, "");
  const httpClient = createOriginRewritingHttpClient(opts.apiBase, {
    keepAlive: true,
    timeout: 10_000,
  });
  const client = twilio(opts.accountSid, opts.authToken, { httpClient });
  const sender = createWhatsAppSender({
    client,
    from: opts.from,
    statusCallback: `${base}${WHATSAPP_STATUS_PATH}`,
    contentSids: opts.contentSids,
    onUnreachable: (familyId, reason) => opts.pipeline.markUnreachable(familyId, reason),
    logger,
    maxRetries: opts.maxRetries,
    retryBaseMs: opts.retryBaseMs,
  });
  const verify = {
    authToken: opts.authToken,
    sharedKeySecret: opts.sharedKeySecret,
    publicUrl: base,
  };
  const deadline = opts.replyDeadlineMs ?? 10_000;

  /** Waits for `work` up to the deadline (Twilio waits 15 s); past it, lets it finish afterwards. */
  async function awaitWithin(c: Context, work: Promise<unknown>): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), deadline);
    });
    const result = await Promise.race([work, late]);
    clearTimeout(timer);
    if (result !== "late") return;
    logger.info("whatsapp replies still sending after the webhook answered");
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // Node has no ExecutionContext: the promise simply goes on.
    }
  }

  const webhook: Mount = {
    method: "POST",
    path: WHATSAPP_WEBHOOK_PATH,
    async handler(c) {
      const read = await readSignedForm(c, verify);
      if ("response" in read) return read.response;
      const parsed = parseInbound(read.fields);
      if (!parsed.ok) return badForm(parsed.problem);
      const message = parsed.value;
      if (message.kind === "unsupported") {
        logger.info("whatsapp message ignored", { reason: message.reason });
        return twiml();
      }
      const inbound = toInbound(message);
      const out = await opts.pipeline.handle(inbound, {
        dedupeKey: `whatsapp:${message.messageSid}`,
      });
      if (out && out.length > 0)
        await awaitWithin(c, sender.send(inbound.familyId, out, { lastInboundAt: Date.now() }));
      return twiml();
    },
  };

  const status: Mount = {
    method: "POST",
    path: WHATSAPP_STATUS_PATH,
    async handler(c) {
      const read = await readSignedForm(c, verify);
      if ("response" in read) return read.response;
      const parsed = parseStatus(read.fields);
      if (!parsed.ok) return badForm(parsed.problem);
      const s = parsed.value;
      const reason = s.errorCode === undefined ? undefined : UNREACHABLE_CODES[s.errorCode];
      if (reason && s.to.startsWith("whatsapp:")) await opts.pipeline.markUnreachable(s.to, reason);
      if (s.errorCode !== undefined)
        logger.info("whatsapp message not delivered", {
          family: redact(s.to),
          status: s.status,
          errorCode: s.errorCode,
        });
      try {
        const tag = c.req.query("tag");
        await opts.onStatus?.(tag ? { ...s, tag } : s);
      } catch (err) {
        logger.error("whatsapp onStatus failed", { error: String(err) });
      }
      return twiml();
    },
  };

  return {
    name: "whatsapp",
    mounts: [webhook, status],
    send: (familyId, messages, o) => sender.send(familyId, messages, o),
    async close() {
      await sender.idle();
      const agent = httpClient.axios.defaults.httpsAgent as { destroy?: () => void } | undefined;
      agent?.destroy?.();
    },
  };
}
