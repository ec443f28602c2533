import { describe, expect, it } from "vitest";
import { countryOf, localeHintFor } from "../../../src/channels/whatsapp/language.ts";
import {
  mediaKind,
  parseInbound,
  parseStatus,
  toInbound,
  type WhatsAppMessage,
} from "../../../src/channels/whatsapp/parse.ts";
import { fixture } from "../../helpers/fixtures.ts";

const form = (name: string, over: Record<string, string> = {}) => ({
  ...fixture<Record<string, string>>(`twilio/${name}.json`),
  ...over,
});
const read = (fields: Record<string, string>): WhatsAppMessage => {
  const parsed = parseInbound(fields);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
};
const inbound = (fields: Record<string, string>) => {
  const m = read(fields);
  if (m.kind === "unsupported") throw new Error(m.reason);
  return toInbound(m);
};

describe("parseInbound and toInbound", () => {
  const familyId = "whatsapp:+5511900000001";

  it("reads each fixture into its kind, the family being From as is", () => {
    expect(inbound(form("inbound-text"))).toEqual({
      familyId,
      event: { kind: "text", text: "Olá! Quero receber dicas" },
    });
    expect(inbound(form("inbound-quick-reply-button"))).toEqual({
      familyId,
      event: { kind: "choice", id: "optin_yes" },
    });
    expect(inbound(form("inbound-list-picker-reply"))).toEqual({
      familyId,
      event: { kind: "choice", id: "tips_health" },
    });
    expect(inbound(form("inbound-location"))).toEqual({
      familyId,
      event: { kind: "location", lat: 51.51322977399644, lng: -0.2197976373036567 },
    });
    expect(inbound(form("inbound-media-image"))).toEqual({
      familyId,
      event: { kind: "media", media: "photo" },
    });
  });

  it("falls back to the Body as text when a button has no payload", () => {
    const m = read(form("inbound-quick-reply-button", { ButtonPayload: "" }));
    expect(m).toMatchObject({ kind: "text", text: "Sim, quero" });
  });

  it("gives the number's language as a hint", () => {
    expect(inbound(form("inbound-text", { From: "whatsapp:+5215512345678" })).localeHint).toBe(
      "es",
    );
    expect(inbound(form("inbound-text", { From: "whatsapp:+447400123456" })).localeHint).toBe("en");
    expect(inbound(form("inbound-text"))).not.toHaveProperty("localeHint");
  });

  it("marks SMS and empty messages unsupported", () => {
    expect(read(form("inbound-text", { From: "+5511900000001" }))).toMatchObject({
      kind: "unsupported",
      reason: "not-whatsapp",
    });
    expect(read(form("inbound-text", { Body: "  " }))).toMatchObject({
      kind: "unsupported",
      reason: "empty",
    });
  });

  it("refuses a form without the fields it needs, naming them", () => {
    const { MessageSid: _, ...noSid } = form("inbound-text");
    expect(parseInbound(noSid)).toEqual({
      ok: false,
      problem: expect.stringMatching(/^MessageSid: /),
    });
    expect(parseInbound(form("inbound-text", { From: "" }))).toMatchObject({ ok: false });
    const badSid = parseInbound(form("inbound-text", { MessageSid: "SM123" }));
    expect(badSid).toMatchObject({ ok: false, problem: expect.stringMatching(/MessageSid/) });
    expect(parseInbound(form("inbound-location", { Latitude: "x" }))).toMatchObject({
      ok: false,
    });
    expect(parseInbound(form("inbound-media-image", { NumMedia: "many" }))).toMatchObject({
      ok: false,
    });
  });

  it("maps media types", () => {
    expect(
      ["image/jpeg", "image/webp", "audio/ogg", "video/mp4", "application/pdf", "text/vcard"].map(
        mediaKind,
      ),
    ).toEqual(["photo", "sticker", "voice", "video", "document", "document"]);
  });
});

describe("parseStatus", () => {
  it("reads status callbacks, with or without an error code", () => {
    expect(parseStatus(form("status-undelivered"))).toEqual({
      ok: true,
      value: {
        messageSid: "SM77777777777777777777777777777777",
        status: "undelivered",
        errorCode: 63024,
        to: "whatsapp:+5511900000001",
      },
    });
    expect(parseStatus(form("status-read"))).toEqual({
      ok: true,
      value: {
        messageSid: "SM77777777777777777777777777777777",
        status: "read",
        to: "whatsapp:+5511900000001",
      },
    });
    expect(parseStatus(form("status-sent", { ErrorCode: "" }))).toMatchObject({ ok: true });
    expect(parseStatus({ To: "whatsapp:+1" })).toMatchObject({ ok: false });
  });
});

describe("localeHintFor", () => {
  it.each([
    ["whatsapp:+5215512345678", "MX", "es"],
    ["whatsapp:+34612345678", "ES", "es"],
    ["whatsapp:+17875551234", "PR", "es"],
    ["whatsapp:+18095551234", "DO", "es"],
    ["whatsapp:+50688881234", "CR", "es"],
    ["whatsapp:+12125551234", "US", "en"],
    ["whatsapp:+14165551234", "CA", "en"],
    ["whatsapp:+18765551234", "JM", "en"],
    ["whatsapp:+447400123456", "GB", "en"],
    ["whatsapp:+353851234567", "IE", "en"],
    ["whatsapp:+2348031234567", "NG", "en"],
    ["whatsapp:+5511900000001", "BR", undefined],
    ["whatsapp:+8613812345678", "CN", undefined],
  ])("%s is %s: %s", (address, country, hint) => {
    expect(countryOf(address)).toBe(country);
    expect(localeHintFor(address)).toBe(hint);
  });

  it("knows nothing of a malformed number", () => {
    expect(localeHintFor("whatsapp:+")).toBeUndefined();
    expect(localeHintFor("whatsapp:abc")).toBeUndefined();
  });
});
