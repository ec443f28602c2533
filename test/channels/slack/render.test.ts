/** Block Kit rendering: escaping and every limit Slack enforces. */
import { describe, expect, it } from "vitest";
import {
  type ActionsBlock,
  escapeMrkdwn,
  renderForSlack,
  type SectionBlock,
  SLACK_LIMITS,
  splitMrkdwn,
} from "../../../src/channels/slack/render.ts";
import type { Choice } from "../../../src/core/types.ts";

const sections = (blocks: unknown[]) =>
  (blocks as SectionBlock[]).filter((b) => b.type === "section").map((b) => b.text.text);
const actions = (blocks: unknown[]) =>
  (blocks as ActionsBlock[]).filter((b) => b.type === "actions");
const choices = (n: number, label = (i: number) => `Choice ${i}`): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i}`, label: label(i) }));

describe("renderForSlack", () => {
  it("a text with choices: one mrkdwn section, then one actions block of buttons", () => {
    const out = renderForSlack({
      kind: "text",
      text: "Which language?",
      choices: [
        { id: "en", label: "English" },
        { id: "es", label: "Español" },
      ],
    });
    expect(out).toEqual({
      text: "Which language?",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: "Which language?" } },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: "choice:en",
              value: "en",
              text: { type: "plain_text", text: "English", emoji: true },
            },
            {
              type: "button",
              action_id: "choice:es",
              value: "es",
              text: { type: "plain_text", text: "Español", emoji: true },
            },
          ],
        },
      ],
    });
  });

  it("escapes &, < and > in mrkdwn and in the fallback text, not in button labels", () => {
    const out = renderForSlack({
      kind: "text",
      text: "Tom & Jerry <b>bold</b> 3 > 2 &amp;",
      choices: [{ id: "x", label: "Arts & crafts" }],
    });
    const escaped = "Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt; 3 &gt; 2 &amp;amp;";
    expect(out.text).toBe(escaped);
    expect(sections(out.blocks)).toEqual([escaped]);
    expect(actions(out.blocks)[0]?.elements[0]?.text.text).toBe("Arts & crafts");
    expect(escapeMrkdwn("<@U123>")).toBe("&lt;@U123&gt;");
  });

  it("splits long text on paragraphs into sections of at most 3000 characters", () => {
    const paragraph = (c: string) => `${c.repeat(1200)}`;
    const text = ["a", "b", "c", "d"].map(paragraph).join("\n\n");
    const parts = sections(renderForSlack({ kind: "text", text }).blocks);
    expect(parts).toEqual([
      `${paragraph("a")}\n\n${paragraph("b")}`,
      `${paragraph("c")}\n\n${paragraph("d")}`,
    ]);
  });

  it("never cuts an escaped entity or a surrogate pair, and never loses text", () => {
    const text = `${"x".repeat(2998)}&&${"🌱".repeat(2000)}`;
    const parts = splitMrkdwn(escapeMrkdwn(text));
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(p).not.toMatch(/&[a-z]*$/);
      expect(p).not.toMatch(/^[a-z]*;/);
      expect(p).not.toMatch(/[\uD800-\uDBFF]$/);
    }
    expect(parts.join("")).toBe(escapeMrkdwn(text));
  });

  it("labels at most 75 characters; at most 25 buttons an actions block; ids unique", () => {
    const long = "L".repeat(100);
    const out = renderForSlack({
      kind: "text",
      text: "Pick",
      choices: [
        ...choices(30, (i) => (i === 0 ? long : `Choice ${i}`)),
        { id: "c1", label: "dup" },
      ],
    });
    const blocks = actions(out.blocks);
    expect(blocks.map((b) => b.elements.length)).toEqual([25, 5]);
    const labels = blocks.flatMap((b) => b.elements.map((e) => e.text.text));
    expect(labels[0]).toHaveLength(75);
    expect(labels[0]?.endsWith("…")).toBe(true);
    expect(labels.every((l) => l.length <= SLACK_LIMITS.buttonText)).toBe(true);
    const ids = blocks.flatMap((b) => b.elements.map((e) => e.action_id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(undefined);
  });

  it("never more than 50 blocks", () => {
    const text = Array.from({ length: 60 }, (_, i) => `${i}`.repeat(2000)).join("\n\n");
    const out = renderForSlack({ kind: "text", text, choices: choices(30) });
    expect(out.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(actions(out.blocks)).toHaveLength(2);
    expect(out.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    for (const s of sections(out.blocks)) expect(s.length).toBeLessThanOrEqual(3000);
  });

  it("a location request is its text and choices (Slack has no location button)", () => {
    const out = renderForSlack({
      kind: "location-request",
      text: "Where are you?",
      choices: [{ id: "skip", label: "Skip" }],
    });
    expect(sections(out.blocks)).toEqual(["Where are you?"]);
    expect(actions(out.blocks)[0]?.elements.map((e) => e.value)).toEqual(["skip"]);
  });
});
