import { describe, expect, it } from "vitest";
import {
  numbered,
  renderForWhatsApp,
  splitBody,
  WHATSAPP_MAX_BODY,
} from "../../../src/channels/whatsapp/render.ts";
import { retryAfterMs } from "../../../src/channels/whatsapp/send.ts";
import type { Choice } from "../../../src/core/types.ts";

const choices = (...labels: string[]): Choice[] =>
  labels.map((label, i) => ({ id: `c${i + 1}`, label }));
const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe("splitBody", () => {
  it("keeps a short text whole", () => {
    expect(splitBody("hello")).toEqual(["hello"]);
    expect(splitBody("x".repeat(WHATSAPP_MAX_BODY))).toHaveLength(1);
  });

  it("splits on paragraphs first, keeping each whole", () => {
    const a = "a".repeat(900);
    const b = "b".repeat(900);
    const c = "c".repeat(500);
    expect(splitBody(`${a}\n\n${b}\n\n${c}`)).toEqual([a, `${b}\n\n${c}`]);
  });

  it("then on lines, then between words; never cuts a word", () => {
    const line = (n: number) => `line ${n} ${"word ".repeat(30).trim()}`;
    const paragraph = Array.from({ length: 20 }, (_, i) => line(i)).join("\n");
    const parts = splitBody(paragraph, 500);
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect(p.startsWith("line ")).toBe(true);
    }
    expect(parts.join("\n")).toBe(paragraph);

    const prose = Array.from({ length: 400 }, (_, i) => `w${i}`).join(" ");
    const cut = splitBody(prose, 100);
    for (const p of cut) expect(p.length).toBeLessThanOrEqual(100);
    expect(cut.flatMap(words)).toEqual(words(prose));
  });

  it("cuts a word only when it alone is too long, and never inside an emoji", () => {
    const parts = splitBody(`start ${"🌱".repeat(30)} end`, 11);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(11);
    expect(parts.join("").replace(/ /g, "")).toBe(`start${"🌱".repeat(30)}end`);
    expect(parts.join("")).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe("renderForWhatsApp", () => {
  const sids = { quickReply: { 2: "HXQR2", 3: "HXQR3" }, listPicker: "HXLIST" };

  it("numbers the choices after the text when no template is provisioned", () => {
    expect(renderForWhatsApp({ kind: "text", text: "Pick", choices: choices("A", "B") })).toEqual([
      { body: "Pick\n\n1. A\n2. B" },
    ]);
    expect(numbered("", choices("A"))).toBe("1. A");
    expect(renderForWhatsApp({ kind: "location-request", text: "Where?" })).toEqual([
      { body: "Where?" },
    ]);
  });

  it("uses the quick-reply template for up to 3 short labels: body 1, labels 2–4, ids 5–7", () => {
    const out = renderForWhatsApp(
      { kind: "text", text: "Pick", choices: choices("Yes", "No", "Maybe") },
      sids,
    );
    expect(out).toEqual([
      {
        contentSid: "HXQR3",
        contentVariables: {
          "1": "Pick",
          "2": "Yes",
          "3": "No",
          "4": "Maybe",
          "5": "c1",
          "6": "c2",
          "7": "c3",
        },
      },
    ]);
  });

  it("uses the list picker for longer labels or more choices: items 2–11, ids 12–21", () => {
    const long = renderForWhatsApp(
      { kind: "text", text: "Pick", choices: choices("A label of 21 chars!!", "B") },
      sids,
    );
    expect(long).toEqual([
      {
        contentSid: "HXLIST",
        contentVariables: {
          "1": "Pick",
          "2": "A label of 21 chars!!",
          "3": "B",
          "12": "c1",
          "13": "c2",
        },
      },
    ]);
    const ten = choices(...Array.from({ length: 10 }, (_, i) => `L${i}`));
    const list = renderForWhatsApp({ kind: "text", text: "Pick", choices: ten }, sids);
    expect(list[0]).toMatchObject({ contentSid: "HXLIST" });
    const eleven = [...ten, { id: "c11", label: "L10" }];
    const text = renderForWhatsApp({ kind: "text", text: "Pick", choices: eleven }, sids);
    expect(text).toEqual([{ body: numbered("Pick", eleven) }]);
  });

  it("falls back to numbered text when no template fits the count", () => {
    const only = { quickReply: { 2: "HXQR2" } };
    const out = renderForWhatsApp(
      { kind: "text", text: "Pick", choices: choices("A", "B", "C") },
      only,
    );
    expect(out).toEqual([{ body: "Pick\n\n1. A\n2. B\n3. C" }]);
  });

  it("puts a long text's last part in the template, the rest before it", () => {
    const text = `${"x".repeat(1500)}\n\n${"y".repeat(300)}`;
    const out = renderForWhatsApp({ kind: "text", text, choices: choices("A", "B") }, sids);
    expect(out).toEqual([
      { body: "x".repeat(1500) },
      {
        contentSid: "HXQR2",
        contentVariables: { "1": "y".repeat(300), "2": "A", "3": "B", "5": "c1", "6": "c2" },
      },
    ]);
  });
});

describe("retryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(["0.5"])).toBe(500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3000);
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
