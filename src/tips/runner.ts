import { type Channel, WINDOW_MS } from "../channels/channel.ts";
import { type Logger, type Pipeline, redact, silentLogger } from "../core/pipeline.ts";
import type { FamilyId, Profile } from "../core/types.ts";
import type { Job, JobQueue, JobResult } from "../jobs/queue.ts";
import { SESSION_TTL_SECONDS, type Store } from "../store/store.ts";
import { composeTip, type TipDeps } from "./compose.ts";
import { afterQuiet, isQuiet, localTime, nextSlot } from "./schedule.ts";

/** A slot more than this late (a server down for hours) is dropped, not sent at an odd time. */
export const STALE_MS = 6 * 60 * 60 * 1000;
/** How long "this slot was sent" is remembered: longer than a week, so no slot repeats. */
const DONE_TTL_SECONDS = 9 * 24 * 60 * 60;
const BATCH = 500;
/** How long one process holds a slot while sending it. */
const LEASE_SECONDS = 15;

export const tipKey = (familyId: FamilyId, slot: number) => `tip:${familyId}:${slot}`;
const channelOf = (id: FamilyId) => id.split(":")[0] ?? "";

/** Whether a profile should get tips now (subscribed, not stopped, reachable). */
export function wantsTips(p: Profile | undefined): boolean {
  return Boolean(p?.tips && !p.optedOut && !p.unreachable);
}

/** A family's next slot after an instant, or null when it gets no tips. */
export function nextDue(p: Profile | undefined, after: Date): number | null {
  return p?.tips && wantsTips(p) ? nextSlot(p.tips, after).getTime() : null;
}

export interface TipsRunnerDeps {
  store: Store;
  queue: JobQueue;
  pipeline: Pipeline;
  channels: ReadonlyMap<string, Channel>;
  content: TipDeps;
  now?: () => Date;
  logger?: Logger;
  /** WhatsApp: an approved template saying this week's ideas are ready (outside 24 hours). */
  whatsappTemplate?: string;
}

/**
 * Weekly tips: `tick` finds the families whose slot is due and enqueues one job each
 * (job id = family + slot), moving their due time on; `run` sends one tip. Exactly one tip a
 * family a slot: the move only happens once (compare-and-set), the job id repeats add nothing,
 * and a slot marked done is never sent again.
 */
export function createTipsRunner(deps: TipsRunnerDeps) {
  const { store, queue } = deps;
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? silentLogger;

  async function tick(at: Date = now()): Promise<{ enqueued: number; dropped: number }> {
    let enqueued = 0;
    let dropped = 0;
    for (;;) {
      const due = await store.dueTips(at.getTime(), BATCH);
      if (due.length === 0) break;
      const jobs: Job[] = [];
      const moves: Array<[FamilyId, number, number | null]> = [];
      const states = await Promise.all(due.map((d) => store.loadFamily(d.id)));
      due.forEach((d, i) => {
        const profile = states[i]?.profile;
        const next = nextDue(profile, new Date(Math.max(d.due, at.getTime())));
        moves.push([d.id, d.due, next]);
        if (next === null) return;
        if (at.getTime() - d.due > STALE_MS) {
          dropped++;
          return;
        }
        jobs.push({
          id: tipKey(d.id, d.due),
          channel: channelOf(d.id),
          data: { kind: "tip" as const, familyId: d.id, slot: d.due },
        });
      });
      await queue.add(jobs);
      enqueued += jobs.length;
      await Promise.all(
        moves.map(([id, from, to]) =>
          to === null ? store.setTipDue(id, null) : store.moveTipDue(id, from, to),
        ),
      );
      if (due.length < BATCH) break;
    }
    if (enqueued || dropped) logger.info("tips due", { enqueued, dropped });
    return { enqueued, dropped };
  }

  /** Sends one family's tip for one slot (a job). */
  function run(familyId: FamilyId, slot: number): Promise<JobResult> {
    return deps.pipeline.withFamily(familyId, async () => {
      const key = tipKey(familyId, slot);
      if (await store.isDone(key)) return { status: "done" };
      // Another process is sending this slot right now: look again once its lease is over.
      if (!(await store.firstSeen(`lease:${key}`, LEASE_SECONDS)))
        return { status: "defer", until: now().getTime() + LEASE_SECONDS * 1000 };
      const state = await store.loadFamily(familyId);
      const profile = state?.profile;
      if (!state || !profile?.tips || !wantsTips(profile)) return { status: "done" };
      const at = now();
      if (isQuiet(at, profile.tips.tz))
        return { status: "defer", until: afterQuiet(at, profile.tips.tz).getTime() };
      const tip = composeTip(deps.content, profile, profile.tips, new Date(slot), familyId);
      const channel = deps.channels.get(channelOf(familyId));
      if (!tip || !channel) return { status: "done" };
      profile.tips = tip.subscription;
      const closed =
        channel.name === "whatsapp" &&
        profile.lastInboundAt !== undefined &&
        at.getTime() - profile.lastInboundAt > WINDOW_MS;
      if (closed) {
        // Outside the 24-hour window: the template (if any) says the ideas are ready; the tip
        // itself goes out as soon as the family writes.
        profile.pendingTip = { slot };
        if (deps.whatsappTemplate) {
          const outcome = await channel.send(familyId, tip.out, {
            lastInboundAt: profile.lastInboundAt,
            template: { contentSid: deps.whatsappTemplate, variables: {} },
          });
          if (outcome.status === "failed") throw new Error(outcome.reason);
        }
      } else {
        const outcome = await channel.send(familyId, tip.out, {
          lastInboundAt: profile.lastInboundAt,
        });
        if (outcome.status === "failed") throw new Error(outcome.reason);
        if (outcome.status === "unreachable") return { status: "done" };
        if (tip.feedbackChoices)
          state.session = {
            flow: "idea",
            step: "feedback",
            vars: { shown_id: tip.activityId },
            choices: tip.feedbackChoices,
          };
      }
      await store.markDone(key, DONE_TTL_SECONDS);
      await store.saveFamily(familyId, state, { sessionTtlSeconds: SESSION_TTL_SECONDS });
      logger.info("tip sent", { family: redact(familyId), kind: tip.kind, pending: closed });
      return { status: "done" };
    });
  }

  return { tick, run };
}

/** Who would get what at an instant, without sending or moving anything (`npm run tips:due`). */
/**
 * Who would get what at an instant, without sending or moving anything (`npm run tips:due`).
 * @example await previewTips({ store, content }, new Date("2026-12-07T18:00:00Z"))
 */
export async function previewTips(
  deps: { store: Store; content: TipDeps },
  at: Date,
  limit = 1000,
) {
  const { store } = deps;
  const due = await store.dueTips(at.getTime(), limit);
  const out = [];
  for (const d of due) {
    const profile = (await store.loadFamily(d.id))?.profile;
    if (!profile?.tips || !wantsTips(profile)) continue;
    const tip = composeTip(deps.content, profile, profile.tips, new Date(d.due), d.id);
    const l = localTime(new Date(d.due), profile.tips.tz);
    out.push({
      family: redact(d.id),
      due: new Date(d.due).toISOString(),
      local: `${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")} ${String(l.hour).padStart(2, "0")}:${String(l.minute).padStart(2, "0")} ${profile.tips.tz}`,
      locale: profile.locale ?? deps.content.speech.defaultLocale,
      kind: tip?.kind ?? "none",
      activity: tip?.activityId ?? "",
      text: tip?.out[0]?.text ?? "",
      stale: at.getTime() - d.due > STALE_MS,
    });
  }
  return out;
}
