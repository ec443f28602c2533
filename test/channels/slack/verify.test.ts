/** Slack's request signatures, checked against the shared vectors (made with Bolt). */
import { isValidSlackRequest } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { signSlackRequest, verifySlackSignature } from "../../../src/channels/slack/verify.ts";
import { fixture } from "../../helpers/fixtures.ts";

interface Vector {
  name: string;
  signingSecret: string;
  headers: Record<string, string>;
  rawBody: string;
  expectedSignature: string;
  verifyAtUnixSeconds: number;
  staleAfterUnixSeconds: number;
}

const { vectors } = fixture<{ vectors: Vector[] }>("slack/signature-vectors.json");

const check = (v: Vector, atSeconds: number, change: Partial<Record<string, string>> = {}) =>
  verifySlackSignature({
    signingSecret: change.secret ?? v.signingSecret,
    timestamp: change.timestamp ?? v.headers["X-Slack-Request-Timestamp"],
    signature: change.signature ?? v.headers["X-Slack-Signature"],
    body: change.body ?? v.rawBody,
    nowMs: atSeconds * 1000,
  });

describe("verifySlackSignature", () => {
  it("has vectors to check", () => expect(vectors.length).toBeGreaterThanOrEqual(4));

  for (const v of vectors)
    it(`accepts ${v.name} within 5 minutes either way, and nothing else`, () => {
      const ts = Number(v.headers["X-Slack-Request-Timestamp"]);
      expect(
        signSlackRequest({ signingSecret: v.signingSecret, timestamp: ts, body: v.rawBody }),
      ).toBe(v.expectedSignature);
      expect(check(v, v.verifyAtUnixSeconds)).toEqual({ ok: true });
      expect(check(v, v.staleAfterUnixSeconds)).toEqual({ ok: true });
      expect(check(v, v.staleAfterUnixSeconds + 1)).toEqual({ ok: false, reason: "stale" });
      expect(check(v, ts - 300)).toEqual({ ok: true });
      expect(check(v, ts - 301)).toEqual({ ok: false, reason: "stale" });
      expect(check(v, ts, { body: `${v.rawBody} ` })).toEqual({
        ok: false,
        reason: "bad-signature",
      });
      expect(check(v, ts, { secret: `${v.signingSecret}x` })).toMatchObject({ ok: false });
      expect(check(v, ts + 1, { timestamp: String(ts + 1) })).toMatchObject({ ok: false });
      expect(check(v, ts, { signature: v.expectedSignature.toUpperCase() })).toMatchObject({
        ok: false,
      });
      expect(check(v, ts, { signature: v.expectedSignature.replace("v0=", "v1=") })).toMatchObject({
        ok: false,
      });
      // The same bytes as a Uint8Array.
      const bytes = new TextEncoder().encode(v.rawBody);
      expect(verifySlackSignature({ ...opts(v), body: bytes, nowMs: ts * 1000 })).toEqual({
        ok: true,
      });
      // Bolt agrees on the past, but would take a request from the future.
      const bolt = (nowSeconds: number) =>
        isValidSlackRequest({
          signingSecret: v.signingSecret,
          body: v.rawBody,
          headers: { "x-slack-signature": v.expectedSignature, "x-slack-request-timestamp": ts },
          nowMilliseconds: nowSeconds * 1000,
        });
      expect(bolt(v.verifyAtUnixSeconds)).toBe(true);
      expect(bolt(v.staleAfterUnixSeconds + 1)).toBe(false);
      expect(bolt(ts - 301)).toBe(true);
    });

  it("refuses missing or malformed headers", () => {
    const v = vectors[0] as Vector;
    const ts = v.verifyAtUnixSeconds;
    expect(check(v, ts, { signature: "" })).toEqual({ ok: false, reason: "missing-headers" });
    expect(check(v, ts, { timestamp: "" })).toEqual({ ok: false, reason: "missing-headers" });
    expect(check(v, ts, { timestamp: `${ts}.5` })).toEqual({ ok: false, reason: "bad-timestamp" });
    expect(check(v, ts, { timestamp: `-${ts}` })).toEqual({ ok: false, reason: "bad-timestamp" });
    expect(check(v, ts, { secret: "" })).toEqual({ ok: false, reason: "missing-headers" });
  });
});

function opts(v: Vector) {
  return {
    signingSecret: v.signingSecret,
    timestamp: v.headers["X-Slack-Request-Timestamp"],
    signature: v.headers["X-Slack-Signature"],
  };
}
