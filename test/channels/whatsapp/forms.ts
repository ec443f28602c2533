/**
 * Twilio webhook forms for tests: the fixtures' fields with a fresh MessageSid and this sender,
 * signed as Twilio signs them.
 */
import twilio from "twilio";
import { fixture } from "../../helpers/fixtures.ts";

export const ACCOUNT_SID = "AC00000000000000000000000000000000";
export const AUTH_TOKEN = "test_auth_token_0123456789abcdef";
export const FROM = "whatsapp:+14155238886";
export const PUBLIC_URL = "https://sprout.example.org";

/** Fresh per run: MessageSids are remembered (dedupe) in a shared Redis across runs. */
let next = Math.floor(Math.random() * 2 ** 40);
/** A fresh, well-formed message SID (SM + 32 hex digits). */
export const newSid = (prefix = "SM") => `${prefix}${(next++).toString(16).padStart(32, "0")}`;

type Fields = Record<string, string>;

/** A fixture's fields (`twilio/<name>.json`) from `from`, with a fresh MessageSid. */
export function inboundForm(name: string, from: string, overrides: Fields = {}): Fields {
  const sid = newSid(name === "inbound-media-image" ? "MM" : "SM");
  return {
    ...fixture<Fields>(`twilio/${name}.json`),
    MessageSid: sid,
    SmsSid: sid,
    SmsMessageSid: sid,
    From: from,
    WaId: from.replace(/^whatsapp:\+/, ""),
    To: FROM,
    ...overrides,
  };
}

/** An inbound text message (shaped like fixtures/twilio/inbound-text.json). */
export const textForm = (from: string, body: string) =>
  inboundForm("inbound-text", from, { Body: body });

/** A status callback (fixtures/twilio/status-<name>.json) about a message to `to`. */
export function statusForm(name: string, to: string, overrides: Fields = {}): Fields {
  return { ...fixture<Fields>(`twilio/status-${name}.json`), To: to, ...overrides };
}

/** Twilio's signature of `params` posted to `url`. */
export const sign = (params: Fields, url: string, token = AUTH_TOKEN) =>
  twilio.getExpectedTwilioSignature(token, url, params);

/** Request init for a form post; `signature: null` sends none. */
export function formRequest(
  path: string,
  params: Fields,
  opts: { signature?: string | null; url?: string } = {},
): RequestInit {
  const signature =
    opts.signature === undefined
      ? sign(params, opts.url ?? `${PUBLIC_URL}${path}`)
      : opts.signature;
  return {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "x-twilio-signature": signature }),
    },
    body: new URLSearchParams(params).toString(),
  };
}

/** Fresh per run: families are kept in a shared Redis across runs. */
let phone = Math.floor(Math.random() * 9_000_000);
/** A fresh WhatsApp number in a country: "US" (+1 212 555 01xx), "MX" (+52 1 55 …), "BR" (+55 11 9…). */
export function newNumber(country: "US" | "MX" | "BR" = "US"): string {
  const n = String(phone++ % 10_000).padStart(4, "0");
  const seven = String(phone % 10_000_000).padStart(7, "0");
  const stamp = String(Date.now() % 1000).padStart(3, "0");
  if (country === "MX") return `whatsapp:+5215512${stamp}${n.slice(1)}`;
  if (country === "BR") return `whatsapp:+55119${stamp}0${n}`;
  return `whatsapp:+1212${seven}`;
}
