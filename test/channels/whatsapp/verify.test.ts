import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { isValidTwilioSignature, type SignedBody } from "../../../src/channels/whatsapp/verify.ts";
import { fixture } from "../../helpers/fixtures.ts";

interface Vector {
  name: string;
  authToken: string;
  url: string;
  params: Record<string, string>;
  rawBody?: string;
  expectedSignature: string;
}

const { vectors } = fixture<{ vectors: Vector[] }>("twilio/signature-vectors.json");
const bodyOf = (v: Vector): SignedBody =>
  v.rawBody === undefined ? { form: v.params } : { raw: v.rawBody };

describe("X-Twilio-Signature", () => {
  it("has the five vectors of the fixtures", () => {
    expect(vectors.map((v) => v.name)).toEqual([
      "twilio-docs-example",
      "whatsapp-inbound-text",
      "whatsapp-inbound-location-with-query",
      "whatsapp-status-callback-read",
      "json-body-with-bodySHA256",
    ]);
  });

  for (const v of vectors) {
    describe(v.name, () => {
      const check = (over: Partial<Parameters<typeof isValidTwilioSignature>[0]>) =>
        isValidTwilioSignature({
          authToken: v.authToken,
          signature: v.expectedSignature,
          url: v.url,
          body: bodyOf(v),
          ...over,
        });

      it("passes as signed", () => {
        expect(check({})).toBe(true);
      });

      it("fails when anything is changed", () => {
        expect(check({ authToken: `${v.authToken}x` })).toBe(false);
        expect(check({ signature: `A${v.expectedSignature.slice(1)}` })).toBe(false);
        expect(check({ signature: undefined })).toBe(false);
        expect(check({ signature: "" })).toBe(false);
        expect(check({ url: v.url.replace("https://", "https://evil.") })).toBe(false);
        if (v.rawBody === undefined) {
          const [key] = Object.keys(v.params);
          const tampered = { ...v.params, [key as string]: `${v.params[key as string]}!` };
          expect(check({ body: { form: tampered } })).toBe(false);
          expect(check({ body: { form: { ...v.params, Extra: "1" } } })).toBe(false);
        } else {
          expect(check({ body: { raw: v.rawBody.replace("world", "World") } })).toBe(false);
          // The URL alone is signed: a form body cannot stand in for the hashed one.
          expect(check({ body: { form: {} } })).toBe(false);
          expect(check({ body: { raw: v.rawBody }, url: v.url.split("?")[0] })).toBe(false);
        }
      });
    });
  }

  describe("a SharedKey webhook setting (X-Twilio-Webhooks-Signature-Settings)", () => {
    const v = vectors[1] as Vector;
    const sharedKeySecret = "shared-key-secret-0123456789";
    const settings = "key=webhooks_sharedkey_01abc,algorithm=HMAC_SHA256";
    const sha256 = twilio.getExpectedTwilioSignature(
      sharedKeySecret,
      v.url,
      v.params,
      "HMAC_SHA256",
    );

    it("accepts HMAC-SHA256 with the shared key", () => {
      const valid = isValidTwilioSignature({
        authToken: v.authToken,
        sharedKeySecret,
        signature: sha256,
        signatureSettings: settings,
        url: v.url,
        body: { form: v.params },
      });
      expect(valid).toBe(true);
    });

    it("refuses it without a configured shared key, or signed with the Auth Token", () => {
      const base = { authToken: v.authToken, url: v.url, body: { form: v.params } };
      expect(
        isValidTwilioSignature({ ...base, signature: sha256, signatureSettings: settings }),
      ).toBe(false);
      const withToken = twilio.getExpectedTwilioSignature(
        v.authToken,
        v.url,
        v.params,
        "HMAC_SHA256",
      );
      expect(
        isValidTwilioSignature({
          ...base,
          sharedKeySecret,
          signature: withToken,
          signatureSettings: settings,
        }),
      ).toBe(false);
      expect(
        isValidTwilioSignature({
          ...base,
          sharedKeySecret,
          signature: sha256,
          signatureSettings: "key=k,algorithm=HMAC_MD5",
        }),
      ).toBe(false);
    });
  });
});
