/** Reading Slack's payloads (fixtures) into Sprout's inbound events, and the locale lookup. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLocaleLookup, languageOf } from "../../../src/channels/slack/locale.ts";
import {
  parseBlockAction,
  parseMessageEvent,
  parseSlackBody,
  parseSlackFamilyId,
  parseSlashCommand,
  plainText,
  slackFamilyId,
} from "../../../src/channels/slack/parse.ts";
import { silentLogger } from "../../../src/core/pipeline.ts";
import { FIXTURES, fixture } from "../../helpers/fixtures.ts";

const raw = (path: string) => readFileSync(join(FIXTURES, path), "utf8").trim();

describe("parseSlackBody", () => {
  it("reads JSON events, form commands and interactivity payloads", () => {
    expect(
      parseSlackBody("application/json; charset=utf-8", raw("slack/event-message-im.json")),
    ).toMatchObject({ ok: true, body: { type: "event_callback", event_id: "Ev0PV52K21" } });
    const command = parseSlackBody(
      "application/x-www-form-urlencoded",
      raw("slack/slash-command.form.txt"),
    );
    const { _note, ...expected } = fixture<Record<string, string>>("slack/slash-command.json");
    expect(command).toEqual({ ok: true, body: expected });
    const payload = `payload=${encodeURIComponent(raw("slack/block-actions.json"))}`;
    expect(parseSlackBody("application/x-www-form-urlencoded", payload)).toMatchObject({
      ok: true,
      body: { type: "block_actions" },
    });
  });

  it("refuses what is not an object, broken JSON, empty forms and other types", () => {
    for (const [type, text] of [
      ["application/json", "[1,2]"],
      ["application/json", "{"],
      ["application/json", "null"],
      ["application/x-www-form-urlencoded", "payload=%5B%5D"],
      ["application/x-www-form-urlencoded", ""],
      ["text/plain", "{}"],
      [undefined, "{}"],
    ] as const)
      expect(parseSlackBody(type, text).ok).toBe(false);
  });
});

describe("Slack payloads to inbound events", () => {
  it("a DM becomes text from slack:<team>:<user>, answered in that DM, deduped by event_id", () => {
    expect(parseMessageEvent(fixture("slack/event-message-im.json"))).toEqual({
      kind: "inbound",
      inbound: {
        familyId: "slack:T061EG9R6:U2147483697",
        event: { kind: "text", text: "Hello hello can you hear me?" },
      },
      team: "T061EG9R6",
      user: "U2147483697",
      channel: "D024BE91L",
      dedupeKey: "slack:event:Ev0PV52K21",
    });
  });

  it("ignores bots, edits, channels and empty messages; a shared photo is media", () => {
    const base = fixture<{ event: Record<string, unknown> }>("slack/event-message-im.json");
    const withEvent = (e: Record<string, unknown>) => ({ ...base, event: { ...base.event, ...e } });
    expect(parseMessageEvent(fixture("slack/event-message-im-bot-echo.json")).kind).toBe("ignored");
    expect(parseMessageEvent(withEvent({ bot_id: "B1" })).kind).toBe("ignored");
    expect(parseMessageEvent(withEvent({ subtype: "message_changed" })).kind).toBe("ignored");
    expect(parseMessageEvent(withEvent({ subtype: "message_deleted" })).kind).toBe("ignored");
    expect(parseMessageEvent(withEvent({ channel_type: "channel" })).kind).toBe("ignored");
    expect(parseMessageEvent(withEvent({ text: "  " })).kind).toBe("ignored");
    expect(parseMessageEvent({ type: "event_callback" }).kind).toBe("ignored");
    const photo = parseMessageEvent(
      withEvent({ subtype: "file_share", text: "", files: [{ mimetype: "image/png" }] }),
    );
    expect(photo).toMatchObject({
      kind: "inbound",
      inbound: { event: { kind: "media", media: "photo" } },
    });
  });

  it("reads Slack's mrkdwn back as plain words", () => {
    expect(plainText("I &lt;3 this &amp; that &gt; all")).toBe("I <3 this & that > all");
    expect(plainText("see <https://example.org|the park> <@U123> <https://x.org>")).toBe(
      "see the park  https://x.org",
    );
  });

  it("a press on one of Sprout's buttons is the choice; other buttons are ignored", () => {
    const body = fixture<Record<string, unknown> & { actions: Record<string, unknown>[] }>(
      "slack/block-actions.json",
    );
    expect(parseBlockAction(body)).toEqual({ kind: "ignored", reason: "not one of our buttons" });
    const ours = {
      ...body,
      channel: { id: "D0123456789" },
      actions: [{ ...body.actions[0], action_id: "choice:tried", value: "tried" }],
    };
    expect(parseBlockAction(ours)).toEqual({
      kind: "inbound",
      inbound: { familyId: "slack:T9TK3CUKW:UA8RXUSPL", event: { kind: "choice", id: "tried" } },
      team: "T9TK3CUKW",
      user: "UA8RXUSPL",
      channel: "D0123456789",
      dedupeKey: "slack:action:1548426417.840180:UA8RXUSPL",
    });
    // Pressed outside a DM: the answer goes to the DM (opened), not to the channel.
    const inChannel = { ...ours, channel: { id: "CBR2V3XEX" } };
    expect(parseBlockAction(inChannel)).not.toHaveProperty("channel");
  });

  it("/sprout [words] is the words, or help; deduped by trigger_id", () => {
    const body = fixture<Record<string, string>>("slack/slash-command.json");
    expect(parseSlashCommand({ ...body, text: " idea &amp; more " })).toMatchObject({
      kind: "inbound",
      inbound: {
        familyId: "slack:T0001:U2147483697",
        event: { kind: "text", text: "idea & more" },
      },
      dedupeKey: "slack:command:13345224609.738474920.8088930838d88f008e0",
    });
    expect(parseSlashCommand({ ...body, text: "" })).toMatchObject({
      inbound: { event: { kind: "text", text: "help" } },
    });
    expect(parseSlashCommand({ text: "idea" }).kind).toBe("ignored");
  });

  it("family ids round-trip", () => {
    expect(parseSlackFamilyId(slackFamilyId("T1ABC", "U2DEF"))).toEqual({
      team: "T1ABC",
      user: "U2DEF",
    });
    expect(parseSlackFamilyId("telegram:42")).toBeUndefined();
  });
});

describe("locale lookup", () => {
  it("reads the language of a Slack locale", () => {
    expect(languageOf("es-ES")).toBe("es");
    expect(languageOf("pt_BR")).toBe("pt");
    expect(languageOf("EN")).toBe("en");
    expect(languageOf(undefined)).toBeUndefined();
    expect(languageOf("1234")).toBeUndefined();
  });

  it("asks once an hour per person, shares concurrent calls, stays bounded", async () => {
    let now = 0;
    const asked: string[] = [];
    const client = {
      users: {
        info: async ({ user }: { user: string }) => {
          asked.push(user);
          if (user === "UFAIL")
            throw Object.assign(new Error("x"), { code: "slack_webapi_request_error" });
          return { user: { locale: "es-ES" } };
        },
      },
    };
    const lookup = createLocaleLookup({
      client,
      logger: silentLogger,
      now: () => now,
      maxEntries: 2,
    });
    expect(await Promise.all([lookup.localeOf("T", "U1"), lookup.localeOf("T", "U1")])).toEqual([
      "es",
      "es",
    ]);
    now += 59 * 60 * 1000;
    await lookup.localeOf("T", "U1");
    expect(asked).toEqual(["U1"]);
    now += 2 * 60 * 1000;
    await lookup.localeOf("T", "U1");
    expect(asked).toEqual(["U1", "U1"]);
    await lookup.localeOf("T", "U2");
    await lookup.localeOf("T", "U3");
    expect(lookup.size).toBe(2);
    expect(await lookup.localeOf("T", "UFAIL")).toBeUndefined();
    expect(await lookup.localeOf("T", "UFAIL")).toBeUndefined();
    expect(asked.filter((u) => u === "UFAIL")).toHaveLength(1);
  });
});
