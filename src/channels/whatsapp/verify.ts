import type { Context } from "hono";
import twilio from "twilio";

/** Form fields as Twilio posts them; a repeated field becomes a list. */
export type FormFields = Record<string, string | string[]>;

/** The request body Twilio signed: form fields, or the raw body of a JSON webhook (`bodySHA256`). */
export type SignedBody = { form: FormFields } | { raw: string };

const ALGORITHMS = new Set<string>([twilio.HMAC_SHA1, twilio.HMAC_SHA256]);

/**
 * Whether `signature` (X-Twilio-Signature) is Twilio's for `url` and `body`, with twilio's own
 * validators (constant-time compare):
 * - no settings header: HMAC-SHA1 with the Auth Token (form params, or `bodySHA256` + raw body);
 * - `X-Twilio-Webhooks-Signature-Settings` present (a Webhook Setting with a SharedKey): the
 *   header's algorithm (HMAC_SHA1 or HMAC_SHA256) with `sharedKeySecret`; refused without one.
 * @example isValidTwilioSignature({ authToken, signature, url, body: { form: { Body: "hi" } } })
 */
export function isValidTwilioSignature(opts: {
  authToken: string;
  sharedKeySecret?: string;
  signature: string | undefined;
  signatureSettings?: string;
  url: string;
  body: SignedBody;
}): boolean {
  if (!opts.signature) return false;
  const secret = opts.signatureSettings ? opts.sharedKeySecret : opts.authToken;
  if (!secret) return false;
  const algorithm = twilio.getSignatureAlgorithm(opts.signatureSettings);
  if (!ALGORITHMS.has(algorithm)) return false;
  try {
    // A `bodySHA256` URL signs the URL alone; the body is then checked by its hash, never skipped.
    const hashed = new URL(opts.url).searchParams.has("bodySHA256");
    if ("raw" in opts.body) {
      if (!hashed) return false;
      return twilio.validateRequestWithBody(
        secret,
        opts.signature,
        opts.url,
        opts.body.raw,
        algorithm,
      );
    }
    if (hashed) return false;
    return twilio.validateRequest(secret, opts.signature, opts.url, opts.body.form, algorithm);
  } catch {
    return false;
  }
}

/** The URL Twilio signed for this request: `publicUrl` + path + query string, as received. */
export function signedUrl(publicUrl: string, c: Context): string {
  const raw = c.req.url;
  const q = raw.indexOf("?");
  return `${publicUrl.replace(/\/+$/, "")}${c.req.path}${q === -1 ? "" : raw.slice(q)}`;
}

const problem = (status: 400 | 403, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/**
 * Reads a Twilio form webhook and checks its signature: the fields when genuine, else the answer
 * to give (400 not a form, 403 unsigned or forged). Nothing is processed before this says yes.
 */
export async function readSignedForm(
  c: Context,
  opts: { authToken: string; sharedKeySecret?: string; publicUrl: string },
): Promise<{ fields: FormFields } | { response: Response }> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded"))
    return {
      response: problem(400, "bad_form", "Expected an application/x-www-form-urlencoded body"),
    };
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    return { response: problem(400, "bad_form", "The body could not be read") };
  }
  const fields: FormFields = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const seen = fields[key];
    fields[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const valid = isValidTwilioSignature({
    authToken: opts.authToken,
    sharedKeySecret: opts.sharedKeySecret,
    signature: c.req.header("x-twilio-signature"),
    signatureSettings: c.req.header("x-twilio-webhooks-signature-settings"),
    url: signedUrl(opts.publicUrl, c),
    body: { form: fields },
  });
  if (!valid)
    return { response: problem(403, "forbidden", "Missing or invalid X-Twilio-Signature") };
  return { fields };
}
