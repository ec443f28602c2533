import { z } from "zod";
import type { Inbound, InboundEvent } from "../../core/types.ts";
import { localeHintFor } from "./language.ts";
import type { FormFields } from "./verify.ts";

/** A WhatsApp address as Twilio writes it: `whatsapp:+<digits>`; it is also the family id. */
const address = z.string().regex(/^whatsapp:\+\d{4,15}$/, "must look like whatsapp:+14155238886");
const decimal = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/, "must be a number")
  .transform(Number);
const count = z.string().regex(/^\d{1,2}$/, "must be a whole number");
const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v : undefined));

/** The inbound message fields Sprout reads (fixtures/twilio/inbound-*.json); others are ignored. */
const inboundSchema = z.looseObject({
  MessageSid: z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/, "must be a Twilio message SID"),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(""),
  NumMedia: count.default("0").transform(Number),
  MediaContentType0: optional,
  Latitude: decimal.optional(),
  Longitude: decimal.optional(),
  ButtonPayload: optional,
  ListId: optional,
});

/** A status callback's fields (fixtures/twilio/status-*.json). */
const statusSchema = z.looseObject({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  To: z.string().min(1),
  ErrorCode: z
    .string()
    .regex(/^\d+$/, "must be a number")
    .transform(Number)
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/** What an inbound Twilio webhook is to Sprout; business code switches on `kind`. */
export type WhatsAppMessage = { messageSid: string; from: string } & (
  | { kind: "text"; text: string }
  /** A quick-reply button or list-picker pick: the id Sprout gave it. */
  | { kind: "choice"; id: string }
  | { kind: "location"; lat: number; lng: number }
  | { kind: "media"; contentType: string }
  /** Not for this channel (SMS on the same number) or nothing Sprout can read (empty). */
  | { kind: "unsupported"; reason: string }
);

/** A delivery status report about a message Sprout sent. */
export interface WhatsAppStatus {
  messageSid: string;
  status: string;
  errorCode?: number;
  /** The family the message went to (`whatsapp:+…`). */
  to: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** The first value of a repeated field: zod then sees plain strings. */
function firstValues(fields: FormFields): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? "") : v]),
  );
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`).join("; ");
}

/**
 * Reads an inbound message webhook. A button or list pick wins, then a location, then media,
 * then the text; `From` must be a WhatsApp address (anything else is `unsupported`).
 */
export function parseInbound(fields: FormFields): Parsed<WhatsAppMessage> {
  const parsed = inboundSchema.safeParse(firstValues(fields));
  if (!parsed.success) return { ok: false, problem: describe(parsed.error) };
  const f = parsed.data;
  const base = { messageSid: f.MessageSid, from: f.From };
  const value = ((): WhatsAppMessage => {
    if (!address.safeParse(f.From).success)
      return { ...base, kind: "unsupported", reason: "not-whatsapp" };
    const id = f.ButtonPayload ?? f.ListId;
    if (id) return { ...base, kind: "choice", id };
    if (f.Latitude !== undefined && f.Longitude !== undefined)
      return { ...base, kind: "location", lat: f.Latitude, lng: f.Longitude };
    if (f.NumMedia > 0) return { ...base, kind: "media", contentType: f.MediaContentType0 ?? "" };
    if (f.Body.trim()) return { ...base, kind: "text", text: f.Body };
    return { ...base, kind: "unsupported", reason: "empty" };
  })();
  return { ok: true, value };
}

/** Reads a status callback. */
export function parseStatus(fields: FormFields): Parsed<WhatsAppStatus> {
  const parsed = statusSchema.safeParse(firstValues(fields));
  if (!parsed.success) return { ok: false, problem: describe(parsed.error) };
  const f = parsed.data;
  return {
    ok: true,
    value: {
      messageSid: f.MessageSid,
      status: f.MessageStatus,
      to: f.To,
      ...(f.ErrorCode !== undefined ? { errorCode: f.ErrorCode } : {}),
    },
  };
}

/** The kind of media a MIME type is to Sprout (image/webp is how WhatsApp sends stickers). */
export function mediaKind(contentType: string): Extract<InboundEvent, { kind: "media" }>["media"] {
  const type = contentType.toLowerCase();
  if (type === "image/webp") return "sticker";
  if (type.startsWith("image/")) return "photo";
  if (type.startsWith("audio/")) return "voice";
  if (type.startsWith("video/")) return "video";
  return "document";
}

/** The channel-neutral event of a readable message, with the number's language as a hint. */
export function toInbound(m: Exclude<WhatsAppMessage, { kind: "unsupported" }>): Inbound {
  const event = ((): InboundEvent => {
    switch (m.kind) {
      case "text":
        return { kind: "text", text: m.text };
      case "choice":
        return { kind: "choice", id: m.id };
      case "location":
        return { kind: "location", lat: m.lat, lng: m.lng };
      case "media":
        return { kind: "media", media: mediaKind(m.contentType) };
    }
  })();
  const localeHint = localeHintFor(m.from);
  return { familyId: m.from, event, ...(localeHint ? { localeHint } : {}) };
}
