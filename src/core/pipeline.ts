import { hashString } from "../catalog/recommend.ts";
import { type EngineDeps, runTurn } from "../flows/engine.ts";
import { toNearbyItem } from "../opportunities/describe.ts";
import { SESSION_TTL_SECONDS, type Store } from "../store/store.ts";
import { composeTip, type TipDeps } from "../tips/compose.ts";
import { nextSlot } from "../tips/schedule.ts";
import { createKeyedQueue } from "./keyed-queue.ts";
import {
  type FamilyId,
  type FamilyState,
  type Inbound,
  type Lookup,
  type NearbyItem,
  newProfile,
  type Outbound,
  type Profile,
} from "./types.ts";

/** A logger that never receives secrets or phone numbers in clear (see `redact`). */
export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, error() {} };

/** A family id safe to log: the channel and a short hash, never the number or user id. */
export function redact(id: FamilyId): string {
  const channel = id.split(":")[0] ?? "?";
  return `${channel}:${hashString(id).toString(16).padStart(8, "0")}`;
}

export interface Pipeline {
  /**
   * Runs one inbound event through dedupe, the family's state, the flow engine, and the store.
   * Resolves to the messages to send, or null when `dedupeKey` was seen before (a redelivery).
   */
  handle(
    inbound: Inbound,
    opts?: {
      dedupeKey?: string;
      /**
       * Sends the turn's messages before the family's next turn starts, so replies to one
       * family arrive in order even when its messages come in quickly.
       */
      deliver?: (messages: Outbound[]) => Promise<unknown>;
    },
  ): Promise<Outbound[] | null>;
  /** The platform said the family cannot be reached (blocked, invalid number): stop sending. */
  markUnreachable(familyId: FamilyId, reason: string): Promise<void>;
  /** Runs work on one family's state in turn with its conversation (proactive sends). */
  withFamily<T>(familyId: FamilyId, work: () => Promise<T>): Promise<T>;
}

/** Where a family may be reached by broadcasts: its area, when it agreed to hear of opportunities. */
function broadcastArea(p: Profile): string {
  return p.opportunities && p.area ? `${p.area.lat},${p.area.lng}` : "";
}

/** The opportunities a `find` step asked for, as the engine writes them. */
async function lookUp(store: Store, lookup: Lookup, now: Date): Promise<NearbyItem[]> {
  const found = await store.opportunities.near({ ...lookup, now, limit: 10 });
  return found.map(({ opportunity, km, next }) => toNearbyItem(opportunity, next, km));
}

/** The part of a profile its tip schedule depends on ("" when it gets no tips). */
function tipsPlanKey(p: Profile): string {
  if (!p.tips || p.optedOut || p.unreachable) return "";
  const { days, hour, minute, tz } = p.tips;
  return JSON.stringify([days, hour, minute, tz]);
}

/** How long a platform's delivery id is remembered, to answer redeliveries once. */
export const DEDUPE_TTL_SECONDS = 24 * 60 * 60;

/**
 * The core: channel-neutral, one turn at a time per family (in this process).
 * @example const out = await createPipeline({ store, content, now: () => new Date() }).handle(inbound)
 */
export function createPipeline(opts: {
  store: Store;
  content: EngineDeps;
  now?: () => Date;
  logger?: Logger;
  /** Weekly tips' words: a tip held back (WhatsApp window) goes out when the family writes. */
  tips?: TipDeps;
}): Pipeline {
  const { store, content } = opts;
  const now = opts.now ?? (() => new Date());
  const logger = opts.logger ?? silentLogger;
  const queue = createKeyedQueue();

  /** A tip held back (WhatsApp outside 24 hours): its messages, and the profile let go of it. */
  function heldTip(familyId: FamilyId, profile: Profile): Outbound[] | undefined {
    const pending = profile.pendingTip;
    if (!pending) return undefined;
    delete profile.pendingTip;
    if (!opts.tips || !profile.tips) return undefined;
    const tip = composeTip(opts.tips, profile, profile.tips, new Date(pending.slot), familyId);
    if (!tip) return undefined;
    profile.tips = tip.subscription;
    return tip.out.map((m) => ({ kind: "text", text: m.text }));
  }

  async function turn(inbound: Inbound, dedupeKey?: string): Promise<Outbound[] | null> {
    let loaded: FamilyState | null;
    if (dedupeKey) {
      const claim = await store.claimAndLoad(
        { key: dedupeKey, ttlSeconds: DEDUPE_TTL_SECONDS },
        inbound.familyId,
      );
      if (!claim.fresh) return null;
      loaded = claim.state;
    } else loaded = await store.loadFamily(inbound.familyId);
    const state = loaded ?? { profile: newProfile(), session: null };
    const planBefore = loaded ? tipsPlanKey(loaded.profile) : "";
    const areaBefore = loaded ? broadcastArea(loaded.profile) : "";
    const at = now();
    state.profile.lastInboundAt = at.getTime();
    delete state.profile.unreachable;
    const held = heldTip(inbound.familyId, state.profile);
    const { event } = inbound;
    try {
      const ctx = {
        familyId: inbound.familyId,
        now: at,
        localeHint: inbound.localeHint,
        detectedLocale:
          !state.profile.locale && event.kind === "text"
            ? content.speech.detect(event.text)
            : undefined,
        seed: hashString(inbound.familyId),
      };
      let result = runTurn(content, state, event, ctx);
      if (result.lookup) {
        const nearby = await lookUp(store, result.lookup, at);
        const first = result.out;
        result = runTurn(content, result.state, { kind: "found", nearby }, ctx);
        result.out = [...first, ...result.out];
      }
      if (result.deleted) {
        for (const opp of Object.keys(state.profile.reminders ?? {}))
          await store.setReminder(inbound.familyId, opp, null);
        await store.deleteFamily(inbound.familyId);
        return result.out;
      }
      await store.saveFamily(inbound.familyId, result.state, {
        sessionTtlSeconds: SESSION_TTL_SECONDS,
      });
      const before = loaded?.profile.reminders ?? {};
      const after = result.state.profile.reminders ?? {};
      for (const [opp, at] of Object.entries(after))
        if (before[opp] !== at) await store.setReminder(inbound.familyId, opp, at);
      for (const opp of Object.keys(before))
        if (!(opp in after)) await store.setReminder(inbound.familyId, opp, null);
      const area = broadcastArea(result.state.profile);
      if (area !== areaBefore)
        await store.opportunities.setArea(
          inbound.familyId,
          area ? (result.state.profile.area ?? null) : null,
        );
      const plan = tipsPlanKey(result.state.profile);
      if (plan !== planBefore) {
        const tips = result.state.profile.tips;
        await store.setTipDue(inbound.familyId, plan && tips ? nextSlot(tips, at).getTime() : null);
      }
      return held ? [...held, ...result.out] : result.out;
    } catch (err) {
      logger.error("turn failed", { family: redact(inbound.familyId), error: String(err) });
      const locale = state.profile.locale ?? content.speech.defaultLocale;
      return [{ kind: "text", text: content.speech.t(locale, "error.sorry") }];
    }
  }

  return {
    handle: (inbound, o) =>
      queue.run(inbound.familyId, async () => {
        const out = await turn(inbound, o?.dedupeKey);
        if (out && o?.deliver) await o.deliver(out);
        return out;
      }),
    withFamily: (familyId, work) => queue.run(familyId, work),
    // Not queued behind the family's turns: a delivery inside a turn may call it.
    async markUnreachable(familyId, reason) {
      const state = await store.loadFamily(familyId);
      if (!state || state.profile.unreachable) return;
      state.profile.unreachable = true;
      await store.saveFamily(familyId, state, { sessionTtlSeconds: SESSION_TTL_SECONDS });
      logger.info("family unreachable", { family: redact(familyId), reason });
    },
  };
}
