import { createHmac } from "node:crypto";
import { safeEqual } from "../safe-equal.ts";

/** How far a request's timestamp may be from our clock, either way (Slack's 5 minutes). */
export const MAX_SKEW_SECONDS = 5 * 60;

/** Why a request was refused; `ok` when it is Slack's. */
export type Verdict =
  | { ok: true }
  | { ok: false; reason: "missing-headers" | "bad-timestamp" | "stale" | "bad-signature" };

const encoder = new TextEncoder();

/**
 * Checks Slack's v0 request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`
 * with the signing secret, compared in constant time, and a timestamp within 5 minutes of
 * `nowMs` in both directions (Bolt's own check only refuses old ones).
 * @example verifySlackSignature({ signingSecret, timestamp, signature, body, nowMs: Date.now() })
 */
export function verifySlackSignature(opts: {
  signingSecret: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  /** The exact bytes Slack sent (or their UTF-8 text). */
  body: Uint8Array | string;
  nowMs: number;
}): Verdict {
  const { timestamp, signature } = opts;
  if (!timestamp || !signature || !opts.signingSecret)
    return { ok: false, reason: "missing-headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "bad-timestamp" };
  if (Math.abs(Math.floor(opts.nowMs / 1000) - Number(timestamp)) > MAX_SKEW_SECONDS)
    return { ok: false, reason: "stale" };
  const body = typeof opts.body === "string" ? encoder.encode(opts.body) : opts.body;
  const expected = `v0=${createHmac("sha256", opts.signingSecret)
    .update(`v0:${timestamp}:`)
    .update(body)
    .digest("hex")}`;
  return safeEqual(signature, expected) ? { ok: true } : { ok: false, reason: "bad-signature" };
}

/** Signs a body as Slack does (for tests and local tools). */
export function signSlackRequest(opts: {
  signingSecret: string;
  timestamp: number | string;
  body: string;
}): string {
  const mac = createHmac("sha256", opts.signingSecret);
  return `v0=${mac.update(`v0:${opts.timestamp}:${opts.body}`).digest("hex")}`;
}
