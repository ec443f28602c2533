import type { Update } from "grammy/types";
import type { Inbound, InboundEvent } from "../../core/types.ts";

/** What an update means to Sprout. Business code switches on `kind` and never reads the update. */
export type ParsedUpdate =
  | { kind: "inbound"; inbound: Inbound; chatId: number; callbackQueryId?: string }
  /** Someone addressed the bot in a group: invite them to a private chat. */
  | { kind: "group"; chatId: number; languageCode?: string }
  /** The user blocked the bot. */
  | { kind: "blocked"; familyId: string }
  | { kind: "ignored" };

/** `telegram:<user id>`: one family per person on Telegram. */
export const telegramFamilyId = (userId: number) => `telegram:${userId}`;

/** The chat to write to, from a family id. */
export const telegramChatId = (familyId: string) => Number(familyId.slice("telegram:".length));

type Message = NonNullable<Update["message"]>;

function eventOf(m: Message): InboundEvent | undefined {
  if (m.location) return { kind: "location", lat: m.location.latitude, lng: m.location.longitude };
  if (typeof m.text === "string") return { kind: "text", text: m.text };
  if (m.photo) return { kind: "media", media: "photo" };
  if (m.voice) return { kind: "media", media: "voice" };
  if (m.audio) return { kind: "media", media: "audio" };
  if (m.video || m.video_note || m.animation) return { kind: "media", media: "video" };
  if (m.sticker) return { kind: "media", media: "sticker" };
  if (m.document) return { kind: "media", media: "document" };
  if (m.contact || m.venue || m.poll || m.dice) return { kind: "media", media: "other" };
  return undefined;
}

/** Whether a group message speaks to the bot: a mention (also `/help@bot`) or a reply to it. */
function addressed(m: Message, username: string): boolean {
  const name = username.toLowerCase();
  const text = (m.text ?? m.caption ?? "").toLowerCase();
  return text.includes(`@${name}`) || m.reply_to_message?.from?.username?.toLowerCase() === name;
}

/**
 * Reads a Telegram update: private messages (new or edited), button presses, shared locations
 * and media become an Inbound; groups are answered only when addressed; a block is noted.
 */
export function parseUpdate(update: Update, botUsername: string): ParsedUpdate {
  const member = update.my_chat_member;
  if (member) {
    const status = member.new_chat_member.status;
    return member.chat.type === "private" && (status === "kicked" || status === "left")
      ? { kind: "blocked", familyId: telegramFamilyId(member.from.id) }
      : { kind: "ignored" };
  }
  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat;
    if (!query.data || !chat || chat.type !== "private") return { kind: "ignored" };
    return {
      kind: "inbound",
      chatId: chat.id,
      callbackQueryId: query.id,
      inbound: {
        familyId: telegramFamilyId(query.from.id),
        event: { kind: "choice", id: query.data },
        localeHint: query.from.language_code,
      },
    };
  }
  const m = update.message ?? update.edited_message;
  if (!m?.from || m.from.is_bot) return { kind: "ignored" };
  if (m.chat.type !== "private") {
    return addressed(m, botUsername)
      ? { kind: "group", chatId: m.chat.id, languageCode: m.from.language_code }
      : { kind: "ignored" };
  }
  const event = eventOf(m);
  if (!event) return { kind: "ignored" };
  if (update.edited_message && event.kind !== "text") return { kind: "ignored" };
  return {
    kind: "inbound",
    chatId: m.chat.id,
    inbound: { familyId: telegramFamilyId(m.from.id), event, localeHint: m.from.language_code },
  };
}
