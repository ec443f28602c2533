import type { Choice, Outbound } from "../../core/types.ts";

/** Twilio's longest WhatsApp message body. */
export const WHATSAPP_MAX_BODY = 1600;
/** Longest body of a Content template (quick reply, list picker). */
export const TEMPLATE_MAX_BODY = 1024;
/** WhatsApp's longest quick-reply button title, and most buttons in a session message. */
export const QUICK_REPLY_MAX_TITLE = 20;
export const QUICK_REPLY_MAX_BUTTONS = 3;
/** Longest list-picker item, and most items. */
export const LIST_MAX_ITEM = 24;
export const LIST_MAX_ITEMS = 10;

/** One Messages.json create: a plain body, or a Content template with its variables. */
export type WhatsAppMessage =
  | { body: string }
  | { contentSid: string; contentVariables: Record<string, string> };

/**
 * A Content template SID, or one SID per number of choices: a WhatsApp template has a fixed
 * number of buttons or items, so `{ 2: "HX…", 3: "HX…" }` is exact. A single SID is used for
 * every count (its unused slots are left out of the variables).
 */
export type TemplateSids = string | Readonly<Partial<Record<number, string>>>;

/**
 * Provisioned Content templates, whose every slot is a variable:
 * - quick reply (`twilio/quick-reply`): body `{{1}}`; button n (1–3) title `{{n+1}}`, id `{{n+4}}`;
 * - list picker (`twilio/list-picker`): body `{{1}}`; item n (1–10) `item` `{{n+1}}`, `id` `{{n+11}}`
 *   (the button text is the template's own).
 */
export interface ContentSids {
  quickReply?: TemplateSids;
  listPicker?: TemplateSids;
}

const sidFor = (sids: TemplateSids | undefined, n: number) =>
  typeof sids === "string" ? sids : sids?.[n];

const chars = (s: string) => [...s].length;

/** Where a too-long piece is split next: paragraphs, then lines, then words. */
const SEPARATORS = ["\n\n", "\n", " "] as const;

/**
 * Splits text into parts of at most `max` characters (UTF-16 units, as JavaScript and Twilio
 * count), in order: at paragraph breaks first, then line breaks, then spaces. A word is cut
 * (between characters, never inside one) only when it alone is longer than `max`.
 */
export function splitBody(text: string, max = WHATSAPP_MAX_BODY): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = "";
  const flush = () => {
    if (current.trim()) parts.push(current);
    current = "";
  };
  const add = (piece: string, joiner: string, level: number) => {
    const joined = current ? `${current}${joiner}${piece}` : piece;
    if (joined.length <= max) {
      current = joined;
      return;
    }
    flush();
    if (piece.length <= max) current = piece;
    else if (level < SEPARATORS.length) {
      const sep = SEPARATORS[level] as string;
      for (const sub of piece.split(sep)) add(sub, sep, level + 1);
    } else
      for (const point of piece) {
        if (current.length + point.length > max) flush();
        current += point;
      }
  };
  add(text, "", 0);
  flush();
  return parts;
}

/** The text with its choices as numbered lines ("1. Another idea"). */
export function numbered(text: string, choices: readonly Choice[] = []): string {
  if (choices.length === 0) return text;
  const lines = choices.map((c, i) => `${i + 1}. ${c.label}`).join("\n");
  return text ? `${text}\n\n${lines}` : lines;
}

function quickReply(body: string, choices: readonly Choice[], sid: string): WhatsAppMessage {
  const contentVariables: Record<string, string> = { "1": body };
  choices.forEach((c, i) => {
    contentVariables[String(i + 2)] = c.label;
    contentVariables[String(i + 5)] = c.id;
  });
  return { contentSid: sid, contentVariables };
}

function listPicker(body: string, choices: readonly Choice[], sid: string): WhatsAppMessage {
  const contentVariables: Record<string, string> = { "1": body };
  choices.forEach((c, i) => {
    contentVariables[String(i + 2)] = c.label;
    contentVariables[String(i + 12)] = c.id;
  });
  return { contentSid: sid, contentVariables };
}

/** The template for this text and choices, when one is provisioned and they fit it. */
function template(
  body: string,
  choices: readonly Choice[],
  sids: ContentSids,
): WhatsAppMessage | undefined {
  const n = choices.length;
  if (n === 0 || !body.trim() || chars(body) > TEMPLATE_MAX_BODY) return undefined;
  const quick = sidFor(sids.quickReply, n);
  if (
    quick &&
    n <= QUICK_REPLY_MAX_BUTTONS &&
    choices.every((c) => chars(c.label) <= QUICK_REPLY_MAX_TITLE)
  )
    return quickReply(body, choices, quick);
  const list = sidFor(sids.listPicker, n);
  if (list && n <= LIST_MAX_ITEMS && choices.every((c) => chars(c.label) <= LIST_MAX_ITEM))
    return listPicker(body, choices, list);
  return undefined;
}

/**
 * An Outbound as WhatsApp messages, in order. Choices become a quick-reply or list-picker
 * template where one is provisioned and they fit (the text's last part is its body), otherwise
 * numbered lines after the text; bodies over 1600 characters are split.
 * A location request is text: WhatsApp users share a location from the attach menu.
 */
export function renderForWhatsApp(message: Outbound, sids: ContentSids = {}): WhatsAppMessage[] {
  const choices = message.choices ?? [];
  if (choices.length > 0) {
    const parts = splitBody(message.text);
    const last = parts.pop() ?? "";
    const rich = template(last, choices, sids);
    if (rich) return [...parts.map((body) => ({ body })), rich];
  }
  return splitBody(numbered(message.text, choices)).map((body) => ({ body }));
}
