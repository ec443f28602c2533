import { z } from "zod";
import type { FamilyId, Inbound, InboundEvent } from "../../core/types.ts";

/** A request body as Slack sent it: events as JSON, commands as a form, interactivity as `payload`. */
export type SlackBody = Record<string, unknown>;

/**
 * Reads a webhook body by its content type: JSON (Events API), or a form (slash commands), whose
 * `payload` field, when present, is the JSON of an interaction (buttons, modals).
 * @example parseSlackBody("application/x-www-form-urlencoded", "payload=%7B%7D") // { ok: true, body: {} }
 */
export function parseSlackBody(
  contentType: string | undefined,
  text: string,
): { ok: true; body: SlackBody } | { ok: false; problem: string } {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return jsonObject(text, "The body is not a JSON object");
  if (type === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(text);
    const payload = form.get("payload");
    if (payload !== null) return jsonObject(payload, "payload is not a JSON object");
    if (form.size === 0) return { ok: false, problem: "The form is empty" };
    return { ok: true, body: Object.fromEntries(form) };
  }
  return { ok: false, problem: "Send application/json or application/x-www-form-urlencoded" };
}

function jsonObject(
  text: string,
  problem: string,
): { ok: true; body: SlackBody } | { ok: false; problem: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return { ok: true, body: value as SlackBody };
  } catch {
    // fall through
  }
  return { ok: false, problem };
}

/** `slack:<team>:<user>`: one family per person per workspace. */
export const slackFamilyId = (team: string, user: string): FamilyId => `slack:${team}:${user}`;

/** The workspace and user of a Slack family id, or undefined when it is not one. */
export function parseSlackFamilyId(id: FamilyId): { team: string; user: string } | undefined {
  const m = /^slack:([A-Z0-9]+):([A-Z0-9]+)$/.exec(id);
  return m ? { team: m[1] as string, user: m[2] as string } : undefined;
}

/** What a Slack request means for Sprout; business code switches on `kind`. */
export type SlackInbound =
  | {
      kind: "inbound";
      inbound: Inbound;
      team: string;
      user: string;
      /** Where to answer: the DM the person wrote in; undefined means "open the DM". */
      channel?: string;
      dedupeKey: string;
    }
  | { kind: "ignored"; reason: string };

const ignored = (reason: string): SlackInbound => ({ kind: "ignored", reason });

/** Slack's mrkdwn as plain words: links to their label, mentions dropped, entities decoded. */
export function plainText(text: string): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]+)>/g, "$2")
    .replace(/<[@#!][^<>]*>/g, "")
    .replace(/<([^<>]+)>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .trim();
}

const messageBody = z.looseObject({
  team_id: z.string().min(1),
  event_id: z.string().min(1),
  event: z.looseObject({
    type: z.literal("message"),
    channel: z.string().min(1),
    channel_type: z.string().optional(),
    user: z.string().optional(),
    text: z.string().optional(),
    subtype: z.string().optional(),
    bot_id: z.string().nullish(),
    files: z.array(z.looseObject({ mimetype: z.string().optional() })).optional(),
  }),
});

function mediaOf(mimetype: string | undefined): Extract<InboundEvent, { kind: "media" }>["media"] {
  const top = (mimetype ?? "").split("/")[0];
  if (top === "image") return "photo";
  if (top === "video") return "video";
  if (top === "audio") return "audio";
  return mimetype ? "document" : "other";
}

/**
 * A `message` event: only what a person wrote in a DM to the bot. Anything from a bot (our own
 * echoes included), edits, deletions and other subtypes are ignored, so no reply loops.
 */
export function parseMessageEvent(body: unknown): SlackInbound {
  const parsed = messageBody.safeParse(body);
  if (!parsed.success) return ignored("not a message event");
  const { team_id: team, event_id, event } = parsed.data;
  if (event.channel_type !== "im") return ignored("not a DM");
  if (event.bot_id) return ignored("from a bot");
  if (event.subtype && event.subtype !== "file_share") return ignored(`subtype ${event.subtype}`);
  if (!event.user) return ignored("no user");
  const text = plainText(event.text ?? "");
  const inboundEvent: InboundEvent = text
    ? { kind: "text", text }
    : event.subtype === "file_share"
      ? { kind: "media", media: mediaOf(event.files?.[0]?.mimetype) }
      : { kind: "text", text: "" };
  if (inboundEvent.kind === "text" && !inboundEvent.text) return ignored("empty message");
  return {
    kind: "inbound",
    inbound: { familyId: slackFamilyId(team, event.user), event: inboundEvent },
    team,
    user: event.user,
    channel: event.channel,
    dedupeKey: `slack:event:${event_id}`,
  };
}

/** Action ids of Sprout's buttons: `choice:<choice id>`. */
export const CHOICE_ACTION_PREFIX = "choice:";

const actionBody = z.looseObject({
  type: z.literal("block_actions"),
  team: z.looseObject({ id: z.string().min(1) }).nullish(),
  user: z.looseObject({ id: z.string().min(1), team_id: z.string().optional() }),
  channel: z.looseObject({ id: z.string().min(1) }).nullish(),
  container: z.looseObject({ channel_id: z.string().optional() }).nullish(),
  actions: z
    .array(
      z.looseObject({
        action_id: z.string(),
        value: z.string().optional(),
        action_ts: z.string().min(1),
      }),
    )
    .min(1),
});

/** A button press on one of Sprout's messages: the choice it stands for. */
export function parseBlockAction(body: unknown): SlackInbound {
  const parsed = actionBody.safeParse(body);
  if (!parsed.success) return ignored("not a block action");
  const { user, actions } = parsed.data;
  const action = actions.find((a) => a.action_id.startsWith(CHOICE_ACTION_PREFIX));
  if (!action) return ignored("not one of our buttons");
  const id = action.value ?? action.action_id.slice(CHOICE_ACTION_PREFIX.length);
  const team = parsed.data.team?.id ?? user.team_id;
  if (!id || !team) return ignored("no choice or team");
  const channel = parsed.data.channel?.id ?? parsed.data.container?.channel_id;
  return {
    kind: "inbound",
    inbound: { familyId: slackFamilyId(team, user.id), event: { kind: "choice", id } },
    team,
    user: user.id,
    ...(channel?.startsWith("D") ? { channel } : {}),
    dedupeKey: `slack:action:${action.action_ts}:${user.id}`,
  };
}

const commandBody = z.looseObject({
  team_id: z.string().min(1),
  user_id: z.string().min(1),
  trigger_id: z.string().min(1),
  text: z.string().optional(),
});

/**
 * `/sprout [words]`: the words as if typed in the DM; no words means "help". The answer goes to
 * the person's DM with Sprout, wherever the command was typed.
 */
export function parseSlashCommand(body: unknown): SlackInbound {
  const parsed = commandBody.safeParse(body);
  if (!parsed.success) return ignored("not a slash command");
  const { team_id: team, user_id: user, trigger_id } = parsed.data;
  const text = plainText(parsed.data.text ?? "") || "help";
  return {
    kind: "inbound",
    inbound: { familyId: slackFamilyId(team, user), event: { kind: "text", text } },
    team,
    user,
    dedupeKey: `slack:command:${trigger_id}`,
  };
}
