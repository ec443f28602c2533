import type { InlineKeyboardButton, KeyboardButton } from "grammy/types";
import type { Choice, Outbound } from "../../core/types.ts";

/** Telegram's longest message. */
export const TELEGRAM_MAX_TEXT = 4096;

/** One sendMessage call's text and markup. */
export interface TelegramMessage {
  text: string;
  reply_markup?:
    | { inline_keyboard: InlineKeyboardButton[][] }
    | { keyboard: KeyboardButton[][]; one_time_keyboard: true; resize_keyboard: true };
}

/** Splits text under `max` characters on paragraph, then line, then word boundaries, in order. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf("\n\n");
    if (cut < max / 3) cut = window.lastIndexOf("\n");
    if (cut < max / 3) cut = window.lastIndexOf(" ");
    if (cut <= 0) cut = max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

/** Buttons two to a row when their labels are short, else one to a row. */
function keyboard(choices: readonly Choice[]): InlineKeyboardButton[][] {
  const short = choices.every((c) => [...c.label].length <= 14);
  const rows: InlineKeyboardButton[][] = [];
  choices.forEach((c, i) => {
    const button = { text: c.label, callback_data: c.id.slice(0, 64) };
    if (short && i % 2 === 1) rows[rows.length - 1]?.push(button);
    else rows.push([button]);
  });
  return rows;
}

/**
 * An Outbound as Telegram messages: long text split under 4096 characters, choices as an inline
 * keyboard on the last part, a location request as a one-time reply keyboard button.
 */
export function renderForTelegram(message: Outbound, locationLabel = "📍"): TelegramMessage[] {
  const parts = splitText(message.text, TELEGRAM_MAX_TEXT).map(
    (text): TelegramMessage => ({ text }),
  );
  const last = parts[parts.length - 1] as TelegramMessage;
  if (message.kind === "location-request") {
    last.reply_markup = {
      keyboard: [[{ text: locationLabel, request_location: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    };
  } else if (message.choices && message.choices.length > 0) {
    last.reply_markup = { inline_keyboard: keyboard(message.choices) };
  }
  return parts;
}
