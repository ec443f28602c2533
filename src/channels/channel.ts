import type { Mount } from "../app.ts";
import type { FamilyId, Outbound } from "../core/types.ts";

/** What became of messages sent to a family. */
export type SendOutcome =
  | { status: "sent"; count: number }
  /** Blocked the bot / invalid number: marked unreachable, never retried. */
  | { status: "unreachable"; reason: string }
  /** Not attempted (e.g. WhatsApp outside the 24-hour window with no template). */
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string };

/**
 * A messaging platform, behind one shape: the webhook routes it mounts on the app,
 * and how to send messages to one of its families.
 */
export interface Channel {
  name: "telegram" | "whatsapp" | "slack";
  mounts: Mount[];
  /** Sends in order; resolves when the platform took them (or gave up, said why). */
  send(familyId: FamilyId, messages: readonly Outbound[]): Promise<SendOutcome>;
  close(): Promise<void>;
}
