import type { Mount } from "../app.ts";
import type { FamilyId, Outbound } from "../core/types.ts";

/** WhatsApp's customer-service window: free-form messages only this long after the last inbound. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;

/** What became of messages sent to a family. */
export type SendOutcome =
  | { status: "sent"; count: number }
  /** Blocked the bot / invalid number: marked unreachable, never retried. */
  | { status: "unreachable"; reason: string }
  /** Not attempted (e.g. WhatsApp outside the 24-hour window with no template). */
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string };

export interface SendOptions {
  /** When the family last wrote (WhatsApp: outside 24 hours only a template may be sent). */
  lastInboundAt?: number;
  /** An approved template to send instead when outside the window (WhatsApp ContentSid + variables). */
  template?: { contentSid: string; variables: Record<string, string> };
  /** Recognises the delivery receipts of these messages (a broadcast id), where the platform sends them. */
  tag?: string;
}

/**
 * A messaging platform, behind one shape: the webhook routes it mounts on the app,
 * and how to send messages to one of its families.
 */
export interface Channel {
  name: "telegram" | "whatsapp" | "slack";
  mounts: Mount[];
  /**
   * Sends in order; resolves when the platform took them (or gave up, said why).
   * Used for replies and, by jobs, for proactive messages.
   */
  send(familyId: FamilyId, messages: readonly Outbound[], opts?: SendOptions): Promise<SendOutcome>;
  close(): Promise<void>;
}
