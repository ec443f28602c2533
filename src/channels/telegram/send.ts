import { type Api, GrammyError, HttpError } from "grammy";
import type { FamilyId, Outbound } from "../../core/types.ts";
import type { SendOutcome } from "../channel.ts";
import { renderForTelegram } from "./render.ts";

/** Bot API answers that mean the person cannot be reached: never retried. */
function unreachable(err: unknown): string | undefined {
  if (!(err instanceof GrammyError)) return undefined;
  if (err.error_code === 403) return "blocked";
  if (err.error_code === 400 && /chat not found|user is deactivated/i.test(err.description))
    return "chat-not-found";
  return undefined;
}

/**
 * Sends messages to one chat in order. 429 and 5xx are retried by the auto-retry transformer
 * installed on the Api (bounded); a block marks the family unreachable; nothing throws.
 */
export async function sendToTelegram(opts: {
  api: Api;
  chatId: number;
  familyId: FamilyId;
  messages: readonly Outbound[];
  locationLabel?: string;
  onUnreachable: (familyId: FamilyId, reason: string) => Promise<void>;
}): Promise<SendOutcome> {
  let count = 0;
  try {
    for (const message of opts.messages) {
      for (const part of renderForTelegram(message, opts.locationLabel)) {
        await opts.api.sendMessage(opts.chatId, part.text, { reply_markup: part.reply_markup });
        count++;
      }
    }
    return { status: "sent", count };
  } catch (err) {
    const reason = unreachable(err);
    if (reason) {
      await opts.onUnreachable(opts.familyId, reason);
      return { status: "unreachable", reason };
    }
    if (err instanceof GrammyError)
      return { status: "failed", reason: `${err.error_code} ${err.description}` };
    if (err instanceof HttpError) return { status: "failed", reason: "network" };
    return { status: "failed", reason: String(err) };
  }
}
