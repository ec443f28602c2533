import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import type { Context } from "hono";
import type { Logger } from "../../core/pipeline.ts";
import { describeError } from "./log.ts";
import { parseSlackBody, type SlackBody } from "./parse.ts";
import { verifySlackSignature } from "./verify.ts";

/** Longest the webhook waits for an `ack` before answering 200 anyway (Slack waits 3 s). */
export const ACK_TIMEOUT_MS = 2500;

/** The part of Bolt's App the receiver drives. */
type EventProcessor = Pick<App, "processEvent">;

export interface HonoReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Milliseconds since the epoch (signature timestamps are checked against it). */
  now: () => number;
  /** Runs once before the first event (Bolt's deferred `app.init()`); tried again after a failure. */
  prepare?: () => Promise<void>;
  /** Keeps work going after the answer (Cloudflare's `ctx.waitUntil`). */
  waitUntil?: (p: Promise<unknown>) => void;
  ackTimeoutMs?: number;
}

const problem = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/** An `ack(body)` as Slack expects it: empty, text, or JSON (e.g. a modal's errors). */
function ackResponse(body: unknown): Response {
  if (body === undefined || body === null || body === "")
    return new Response(null, { status: 200 });
  if (typeof body === "string")
    return new Response(body, { status: 200, headers: { "content-type": "text/plain" } });
  return Response.json(body, { status: 200 });
}

const headerNumber = (value: string | undefined) => {
  const n = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  return Number.isNaN(n) ? undefined : n;
};

/**
 * A Bolt `Receiver` that lives on our Hono app instead of its own HTTP server: `handler` verifies
 * the signature (401 otherwise), parses (400 when malformed), answers `url_verification`, and
 * hands the request to `app.processEvent`. The answer goes back as soon as a listener calls
 * `ack` (or after `ackTimeoutMs`), while the work goes on, tracked for `idle()`. Once verified,
 * every request is answered 200: a failing handler is logged, never redelivered by Slack.
 */
export class HonoReceiver implements Receiver {
  readonly #opts: HonoReceiverOptions;
  readonly #inFlight = new Set<Promise<unknown>>();
  #app: EventProcessor | undefined;
  #prepared: Promise<void> | undefined;

  constructor(opts: HonoReceiverOptions) {
    this.#opts = opts;
  }

  init(app: App): void {
    this.#app = app;
  }

  /** Nothing to listen on: the Hono app serves the route. */
  async start(): Promise<void> {}

  /** Waits for the work under way. */
  async stop(): Promise<void> {
    await this.idle();
  }

  /** Resolves when every request's work (listeners, replies) has finished. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** The Hono handler for `POST /webhooks/slack`. */
  readonly handler = async (c: Context): Promise<Response> => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const text = new TextDecoder().decode(raw);
    const contentType = c.req.header("content-type");
    if (isSslCheck(contentType, text)) return new Response(null, { status: 200 });
    const verdict = verifySlackSignature({
      signingSecret: this.#opts.signingSecret,
      timestamp: c.req.header("x-slack-request-timestamp"),
      signature: c.req.header("x-slack-signature"),
      body: raw,
      nowMs: this.#opts.now(),
    });
    if (!verdict.ok) {
      this.#opts.logger.info("slack request refused", { reason: verdict.reason });
      return problem(401, "unauthorized", "Bad or missing Slack signature");
    }
    const parsed = parseSlackBody(contentType, text);
    if (!parsed.ok) return problem(400, "bad_body", parsed.problem);
    const { body } = parsed;
    if (body.type === "url_verification")
      return Response.json({ challenge: typeof body.challenge === "string" ? body.challenge : "" });
    return this.#dispatch(c, body, {
      retryNum: headerNumber(c.req.header("x-slack-retry-num")),
      retryReason: c.req.header("x-slack-retry-reason"),
    });
  };

  async #dispatch(
    c: Context,
    body: SlackBody,
    retry: { retryNum?: number; retryReason?: string },
  ): Promise<Response> {
    const { logger } = this.#opts;
    let answer!: (r: Response) => void;
    const answered = new Promise<Response>((resolve) => {
      answer = resolve;
    });
    let acked = false;
    const event: ReceiverEvent = {
      body,
      ...(retry.retryNum === undefined ? {} : { retryNum: retry.retryNum }),
      ...(retry.retryReason === undefined ? {} : { retryReason: retry.retryReason }),
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        answer(ackResponse(response));
      },
    };
    const work = this.#process(event)
      .catch((err: unknown) => logger.error("slack event failed", { error: describeError(err) }))
      .finally(() => answer(new Response(null, { status: 200 })));
    this.#track(c, work);
    const timer = setTimeout(() => {
      if (!acked) logger.info("slack request answered before ack");
      answer(new Response(null, { status: 200 }));
    }, this.#opts.ackTimeoutMs ?? ACK_TIMEOUT_MS);
    const response = await answered;
    clearTimeout(timer);
    return response;
  }

  async #process(event: ReceiverEvent): Promise<void> {
    const app = this.#app;
    if (!app) throw new Error("the receiver was not given to a Bolt App");
    if (this.#opts.prepare) {
      this.#prepared ??= this.#opts.prepare().catch((err: unknown) => {
        this.#prepared = undefined;
        throw err;
      });
      await this.#prepared;
    }
    await app.processEvent(event);
  }

  #track(c: Context, work: Promise<unknown>): void {
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
    if (this.#opts.waitUntil) this.#opts.waitUntil(work);
    else
      try {
        c.executionCtx.waitUntil(work);
      } catch {
        // Node has no ExecutionContext: the promise simply goes on.
      }
  }
}

/** Slack's unsigned `ssl_check=1` probe (slash command set-up): answered 200, nothing processed. */
function isSslCheck(contentType: string | undefined, text: string): boolean {
  if (!contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded")) return false;
  const form = new URLSearchParams(text);
  return form.get("ssl_check") === "1" && !form.has("command") && !form.has("payload");
}
