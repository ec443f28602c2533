/**
 * A fake Twilio REST API serving `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`.
 * Point the real `twilio` client at it with `createOriginRewritingHttpClient(fake.url)`
 * (src/channels/whatsapp/http-client.ts).
 */
import { randomBytes } from "node:crypto";
import { CallLog, FailureQueue, type FakeReply, listen } from "./http-fake.ts";

/** One authenticated Messages.json POST, with the HTTP status it answered. */
export interface TwilioRequest {
  /** The form fields as sent (To, From, Body, ContentSid, ContentVariables, ...). */
  fields: Record<string, string>;
  status: number;
  at: number;
}

/** A canned HTTP answer for `failNext`; any status, body and headers. */
export interface TwilioFailure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Handle on a running fake Twilio REST API. */
export interface FakeTwilio {
  /** Origin such as `http://127.0.0.1:PORT`, for `TWILIO_API_BASE`. */
  url: string;
  /** Form fields of each Messages.json POST that was accepted (201). */
  messages: Array<Record<string, string>>;
  /** Every authenticated Messages.json POST in arrival order, failed ones included. */
  requests: TwilioRequest[];
  /** Answer the next `times` Messages.json POSTs with `response` instead of creating a message. */
  failNext(response: TwilioFailure, times?: number): void;
  /** Resolves once a request (past or future) matches; rejects after `timeoutMs` (2000). */
  waitFor(predicate: (request: TwilioRequest) => boolean, timeoutMs?: number): Promise<void>;
  /** Forget messages, requests and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

/** Options for {@link startFakeTwilio}: the only credentials it accepts. */
export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
}

/**
 * A Twilio REST error reply (`code`, `message`, `more_info`, `status`), shaped like
 * fixtures/twilio/rest-error-429.json: e.g. `twilioError(429, 20429, "Too Many Requests")`.
 */
export function twilioError(status: number, code: number, message: string): TwilioFailure {
  const more_info = `https://www.twilio.com/docs/errors/${code}`;
  return { status, body: { code, message, more_info, status } };
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const FAILURE_KEY = "Messages.json";

/** A Message resource like fixtures/twilio/rest-message-create-response.json. */
function messageResource(accountSid: string, f: Record<string, string>): Record<string, unknown> {
  const sid = `SM${randomBytes(16).toString("hex")}`;
  const date = new Date().toUTCString().replace("GMT", "+0000");
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
  return {
    account_sid: accountSid,
    api_version: "2010-04-01",
    body: f.Body ?? "",
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from: f.From ?? null,
    messaging_service_sid: f.MessagingServiceSid ?? null,
    num_media: f.MediaUrl ? "1" : "0",
    num_segments: "1",
    price: null,
    price_unit: null,
    sid,
    // Twilio answers "accepted" when only a Messaging Service was given (it picks the sender).
    status: f.From ? "queued" : "accepted",
    subresource_uris: { media: `${uri}/Media.json` },
    to: f.To,
    uri: `${uri}.json`,
  };
}

function validate(f: Record<string, string>): FakeReply | undefined {
  if (!f.To) return twilioError(400, 21604, "A 'To' phone number is required.");
  if (!f.From && !f.MessagingServiceSid) {
    return twilioError(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required.");
  }
  if (!f.Body && !f.ContentSid && !f.MediaUrl) {
    return twilioError(400, 21602, "Message body is required.");
  }
  return undefined;
}

/** Starts a fake Twilio REST API on 127.0.0.1 (random port), checking HTTP Basic auth. */
export async function startFakeTwilio(opts: FakeTwilioOptions): Promise<FakeTwilio> {
  const credentials = Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString("base64");
  const log = new CallLog<TwilioRequest>();
  const failures = new FailureQueue();
  const messages: Array<Record<string, string>> = [];

  const server = await listen(
    async ({ req, url, body }) => {
      if (req.headers.authorization !== `Basic ${credentials}`) {
        return twilioError(401, 20003, "Authenticate");
      }
      const match = MESSAGES_PATH.exec(url.pathname);
      if (req.method !== "POST" || match?.[1] !== opts.accountSid) {
        return twilioError(404, 20404, `The requested resource ${url.pathname} was not found`);
      }
      const fields = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
      const reply = failures.take(FAILURE_KEY) ??
        validate(fields) ?? { status: 201, body: messageResource(opts.accountSid, fields) };
      if (reply.status === 201) messages.push(fields);
      log.record({ fields, status: reply.status, at: Date.now() });
      return reply;
    },
    (e) => twilioError(500, 20500, e.message),
  );

  return {
    url: server.origin,
    messages,
    requests: log.entries,
    failNext: (response, times = 1) => failures.add(FAILURE_KEY, response, times),
    waitFor: (predicate, timeoutMs) => log.waitFor(predicate, timeoutMs),
    reset: () => {
      messages.length = 0;
      log.clear();
      failures.clear();
    },
    close: () => server.close(),
  };
}
