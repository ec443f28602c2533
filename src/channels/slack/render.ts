import type { Choice, Outbound } from "../../core/types.ts";
import { CHOICE_ACTION_PREFIX } from "./parse.ts";

/** Block Kit limits Sprout's messages respect. */
export const SLACK_LIMITS = {
  /** Characters in a section's mrkdwn text. */
  sectionText: 3000,
  /** Characters in a button's plain_text label. */
  buttonText: 75,
  /** Characters of a button's value and action_id. */
  buttonValue: 2000,
  actionId: 255,
  /** Elements in one actions block. */
  buttonsPerBlock: 25,
  /** Blocks in one message. */
  blocks: 50,
  /** Characters of the top-level (notification) text. */
  fallbackText: 4000,
} as const;

export interface SectionBlock {
  type: "section";
  text: { type: "mrkdwn"; text: string };
}

export interface ButtonElement {
  type: "button";
  action_id: string;
  value: string;
  text: { type: "plain_text"; text: string; emoji: true };
}

export interface ActionsBlock {
  type: "actions";
  elements: ButtonElement[];
}

export type SlackBlock = SectionBlock | ActionsBlock;

/** One chat.postMessage's content. */
export interface SlackMessage {
  /** What notifications and screen readers show. */
  text: string;
  blocks: SlackBlock[];
}

/** Escapes the three characters mrkdwn reserves (&, <, >). */
export const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Where to cut `text` to keep at most `max` characters, never inside a surrogate pair or an `&…;` entity. */
function cut(text: string, max: number): number {
  let at = Math.min(max, text.length);
  if (at < text.length && /[\uDC00-\uDFFF]/.test(text[at] ?? "")) at--;
  const entity = /&[a-z]{0,4}$/.exec(text.slice(0, at));
  if (entity && entity.index > 0) at = entity.index;
  return at;
}

/**
 * Splits escaped text into pieces of at most `max` characters: at paragraph breaks first, then
 * lines, then spaces, and only inside a word when one alone is too long.
 */
export function splitMrkdwn(text: string, max: number = SLACK_LIMITS.sectionText): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, cut(rest, max) + 1);
    let at = -1;
    for (const sep of ["\n\n", "\n", " "]) {
      at = window.lastIndexOf(sep);
      if (at > max / 3) break;
    }
    if (at <= 0) at = cut(rest, max);
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** A label cut to Slack's 75 characters, with an ellipsis when cut. */
function label(text: string): string {
  if (text.length <= SLACK_LIMITS.buttonText) return text;
  return `${text.slice(0, cut(text, SLACK_LIMITS.buttonText - 1))}…`;
}

function buttons(choices: readonly Choice[]): ActionsBlock[] {
  const seen = new Set<string>();
  const elements: ButtonElement[] = [];
  for (const c of choices) {
    const actionId = `${CHOICE_ACTION_PREFIX}${c.id}`;
    if (seen.has(c.id) || actionId.length > SLACK_LIMITS.actionId) continue;
    seen.add(c.id);
    elements.push({
      type: "button",
      action_id: actionId,
      value: c.id,
      text: { type: "plain_text", text: label(c.label), emoji: true },
    });
  }
  const blocks: ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.buttonsPerBlock)
    blocks.push({
      type: "actions",
      elements: elements.slice(i, i + SLACK_LIMITS.buttonsPerBlock),
    });
  return blocks;
}

/**
 * An Outbound as Block Kit: the text as mrkdwn sections (split on paragraphs under 3000
 * characters), then its choices as buttons (`action_id` `choice:<id>`, `value` the id), at most
 * 25 to an actions block and 50 blocks in all. Slack has no location button: a location request
 * is its text and choices. `text` is the escaped text, for notifications.
 * @example renderForSlack({ kind: "text", text: "Hi", choices: [{ id: "en", label: "English" }] })
 */
export function renderForSlack(message: Outbound): SlackMessage {
  const escaped = escapeMrkdwn(message.text);
  const actions = buttons(message.choices ?? []).slice(0, SLACK_LIMITS.blocks - 1);
  const room = SLACK_LIMITS.blocks - actions.length;
  let pieces = splitMrkdwn(escaped);
  if (pieces.length > room) {
    pieces = pieces.slice(0, room);
    const last = pieces[room - 1] as string;
    pieces[room - 1] = `${last.slice(0, cut(last, SLACK_LIMITS.sectionText - 1))}…`;
  }
  const sections = pieces.map(
    (text): SectionBlock => ({ type: "section", text: { type: "mrkdwn", text } }),
  );
  const fallback =
    escaped.length > SLACK_LIMITS.fallbackText
      ? `${escaped.slice(0, cut(escaped, SLACK_LIMITS.fallbackText - 1))}…`
      : escaped;
  return { text: fallback || " ", blocks: [...sections, ...actions] };
}
