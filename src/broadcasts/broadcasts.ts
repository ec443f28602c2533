import { type Channel, WINDOW_MS } from "../channels/channel.ts";
import { type Logger, type Pipeline, redact, silentLogger } from "../core/pipeline.ts";
import { ageInMonths } from "../core/suggest.ts";
import type { FamilyId, Outbound, Profile } from "../core/types.ts";
import type { Speech } from "../flows/speech.ts";
import type { Job, JobQueue, JobResult } from "../jobs/queue.ts";
import {
  describeOpportunity,
  formatWhen,
  textIn,
  toNearbyItem,
} from "../opportunities/describe.ts";
import { nextOccurrence } from "../opportunities/occurrence.ts";
import { distanceKm } from "../opportunities/places.ts";
import type { Opportunity } from "../opportunities/schema.ts";
import { type BroadcastRecord, SESSION_TTL_SECONDS, type Store } from "../store/store.ts";

/** What a community worker asks for: who, around an opportunity. */
export interface BroadcastRequest {
  opportunityId: string;
  radiusKm: number;
  languages?: string[];
  channels?: string[];
  interests?: string[];
}

export type Reach = BroadcastRecord["reach"];

const DONE_TTL_SECONDS = 30 * 24 * 60 * 60;
const LEASE_SECONDS = 15;
const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH = 500;

const channelOf = (id: FamilyId) => id.split(":")[0] ?? "";
export const sendKey = (broadcastId: string, familyId: FamilyId) => `b:${broadcastId}:${familyId}`;

/** Why a family is not sent to now ("" when it may be). */
function unfit(p: Profile | undefined, opportunityId: string): string {
  if (!p) return "gone";
  if (p.optedOut) return "stopped";
  if (p.unreachable) return "unreachable";
  if (!p.opportunities) return "not_subscribed";
  if (p.dismissed?.includes(opportunityId)) return "not_interested";
  return "";
}

export interface BroadcastDeps {
  store: Store;
  queue: JobQueue;
  pipeline: Pipeline;
  channels: ReadonlyMap<string, Channel>;
  speech: Speech;
  now?: () => Date;
  logger?: Logger;
  /** WhatsApp: an approved template for outside the 24-hour window ({{1}} = the title). */
  whatsappTemplate?: string;
  /** Told after each send (Slack's progress message). */
  onProgress?: (broadcastId: string) => void;
}

/**
 * Broadcasts: find the families an opportunity fits (distance, ages, language, channel,
 * interests; only those who agreed and have not said stop), enqueue one job per family
 * (job id = broadcast + family), and send each once — a done mark and a lease make a send
 * idempotent across processes and restarts. Reminders the day before, for those who asked.
 */
export function createBroadcasts(deps: BroadcastDeps) {
  const { store, queue, speech } = deps;
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? silentLogger;

  /** The families a broadcast would reach, and how many by channel and language. */
  async function reach(
    o: Opportunity,
    req: BroadcastRequest,
    at: Date,
  ): Promise<{ families: FamilyId[]; reach: Reach }> {
    const near = await store.opportunities.familiesNear({
      lat: o.place.lat,
      lng: o.place.lng,
      radiusKm: req.radiusKm,
    });
    const families: FamilyId[] = [];
    const out: Reach = { total: 0, byChannel: {}, byLanguage: {} };
    for (let i = 0; i < near.length; i += BATCH) {
      const ids = near.slice(i, i + BATCH);
      const states = await Promise.all(ids.map((id) => store.loadFamily(id)));
      ids.forEach((id, k) => {
        const p = states[k]?.profile;
        if (!p || unfit(p, o.id)) return;
        const channel = channelOf(id);
        const lang = p.locale ?? speech.defaultLocale;
        if (req.channels?.length && !req.channels.includes(channel)) return;
        if (req.languages?.length && !req.languages.includes(lang)) return;
        if (req.interests?.length && !p.interests.some((m) => req.interests?.includes(m))) return;
        const ages = p.children.map((c) => ageInMonths(c.birthMonth, at));
        if (ages.length > 0 && !ages.some((a) => a >= o.ages.minMonths && a <= o.ages.maxMonths))
          return;
        families.push(id);
        out.total++;
        out.byChannel[channel] = (out.byChannel[channel] ?? 0) + 1;
        out.byLanguage[lang] = (out.byLanguage[lang] ?? 0) + 1;
      });
    }
    return { families, reach: out };
  }

  /**
   * Starts a broadcast (or, with `dryRun`, only tells its reach). Throws `Error("not_found")`
   * for no such opportunity and `Error("expired")` for one that is over.
   */
  async function start(
    req: BroadcastRequest & { dryRun?: boolean; progress?: BroadcastRecord["progress"] },
    by: string,
  ): Promise<{ id?: string; reach: Reach }> {
    const o = await store.opportunities.get(req.opportunityId);
    if (!o) throw new Error("not_found");
    const at = now();
    if (!nextOccurrence(o, at)) throw new Error("expired");
    const found = await reach(o, req, at);
    if (req.dryRun) return { reach: found.reach };
    const id = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
    const record: BroadcastRecord = {
      id,
      opportunityId: o.id,
      by,
      createdAt: at.getTime(),
      radiusKm: req.radiusKm,
      ...(req.languages ? { languages: req.languages } : {}),
      ...(req.channels ? { channels: req.channels } : {}),
      ...(req.interests ? { interests: req.interests } : {}),
      reach: found.reach,
      ...(req.progress ? { progress: req.progress } : {}),
    };
    await store.saveBroadcast(record);
    await store.countBroadcast(id, { queued: found.families.length });
    await store.opportunities.record({ action: "broadcast", id: o.id, by, at: at.getTime() });
    for (let i = 0; i < found.families.length; i += 1000) {
      const jobs: Job[] = found.families.slice(i, i + 1000).map((familyId) => ({
        id: sendKey(id, familyId),
        channel: channelOf(familyId),
        data: { kind: "broadcast", familyId, broadcastId: id },
      }));
      await queue.add(jobs);
    }
    logger.info("broadcast queued", { broadcast: id, families: found.families.length, by });
    return { id, reach: found.reach };
  }

  /** A broadcast's progress: queued, sent, delivered, failed, skipped (and why). */
  async function status(id: string) {
    const b = await store.loadBroadcast(id);
    if (!b) return null;
    const c = b.counts;
    const counts = {
      queued: c.queued ?? 0,
      sent: c.sent ?? 0,
      delivered: c.delivered ?? 0,
      failed: c.failed ?? 0,
      skipped: c.skipped ?? 0,
    };
    const reasons = Object.fromEntries(
      Object.entries(c)
        .filter(([k]) => k.includes(":"))
        .map(([k, v]) => [k, v]),
    );
    const finished = counts.sent + counts.failed + counts.skipped >= counts.queued;
    return {
      id,
      opportunityId: b.record.opportunityId,
      by: b.record.by,
      status: finished ? "done" : "sending",
      reach: b.record.reach,
      counts,
      reasons,
      progress: b.record.progress,
    };
  }

  const opportunities = new Map<string, { at: number; value: Opportunity | null }>();
  /** The opportunity, remembered for a few seconds (a broadcast sends it to thousands). */
  async function opportunity(id: string): Promise<Opportunity | null> {
    const held = opportunities.get(id);
    if (held && Date.now() - held.at < 5_000) return held.value;
    const value = await store.opportunities.get(id);
    opportunities.set(id, { at: Date.now(), value });
    if (opportunities.size > 100) opportunities.delete(opportunities.keys().next().value as string);
    return value;
  }

  async function count(broadcastId: string, field: "sent" | "failed" | "skipped", reason?: string) {
    await store.countBroadcast(broadcastId, {
      [field]: 1,
      ...(reason ? { [`${field}:${reason}`]: 1 } : {}),
    });
    deps.onProgress?.(broadcastId);
  }

  /** Sends one family its copy of a broadcast (a job). */
  function run(familyId: FamilyId, broadcastId: string): Promise<JobResult> {
    return deps.pipeline.withFamily(familyId, async () => {
      const key = sendKey(broadcastId, familyId);
      if (await store.isDone(key)) return { status: "done" };
      if (!(await store.firstSeen(`lease:${key}`, LEASE_SECONDS)))
        return { status: "defer", until: now().getTime() + LEASE_SECONDS * 1000 };
      const finish = async (field: "sent" | "failed" | "skipped", reason?: string) => {
        await store.markDone(key, DONE_TTL_SECONDS);
        await count(broadcastId, field, reason);
        return { status: "done" } as const;
      };
      const b = await store.loadBroadcast(broadcastId);
      if (!b) return { status: "done" };
      const o = await opportunity(b.record.opportunityId);
      const at = now();
      const next = o ? nextOccurrence(o, at) : undefined;
      if (!o || !next) return finish("skipped", "expired");
      const state = await store.loadFamily(familyId);
      const profile = state?.profile;
      const why = unfit(profile, o.id);
      if (!state || !profile || why) return finish("skipped", why || "gone");
      const channel = deps.channels.get(channelOf(familyId));
      if (!channel) return finish("skipped", "channel_off");
      const locale = profile.locale ?? speech.defaultLocale;
      const km = profile.area ? distanceKm(profile.area, o.place) : 0;
      const item = toNearbyItem(o, next, km);
      const write = (l: string) =>
        [speech.t(l, "broadcast.new"), ...describeOpportunity(speech, l, item)].join("\n");
      const second = profile.secondLocale && profile.secondLocale !== locale;
      const text = second
        ? `${write(locale)}\n\n${write(profile.secondLocale as string)}`
        : write(locale);
      const choices = (["remind_me", "not_interested"] as const).map((id) => ({
        id,
        label: speech.t(locale, `choice.${id}`),
      }));
      const messages: Outbound[] = [{ kind: "text", text: text.slice(0, 1600), choices }];
      const closed =
        channel.name === "whatsapp" &&
        profile.lastInboundAt !== undefined &&
        at.getTime() - profile.lastInboundAt > WINDOW_MS;
      if (closed && !deps.whatsappTemplate) return finish("skipped", "outside_24h_window");
      const outcome = await channel.send(familyId, messages, {
        lastInboundAt: profile.lastInboundAt,
        tag: broadcastId,
        ...(deps.whatsappTemplate
          ? {
              template: {
                contentSid: deps.whatsappTemplate,
                variables: { "1": textIn(o.title, locale).text },
              },
            }
          : {}),
      });
      // Let the queue retry with back-off (the lease lapses first).
      if (outcome.status === "failed") throw new Error(outcome.reason);
      if (outcome.status === "unreachable") return finish("failed", "unreachable");
      if (outcome.status === "skipped") return finish("skipped", outcome.reason);
      // Marked first: the window in which a crash could repeat this send is as short as can be.
      await store.markDone(key, DONE_TTL_SECONDS);
      state.session = {
        flow: "broadcast",
        step: "reply",
        vars: {
          opp_id: o.id,
          remind_at: String(next.startsAt.getTime() - DAY_MS),
        },
        choices,
      };
      await store.saveFamily(familyId, state, { sessionTtlSeconds: SESSION_TTL_SECONDS });
      logger.info("broadcast sent", { broadcast: broadcastId, family: redact(familyId) });
      return finish("sent");
    });
  }

  /** A delivery receipt (WhatsApp status callback) for a broadcast's message. */
  async function delivery(broadcastId: string, status: string): Promise<void> {
    if (!/^[a-f0-9]{16}$/.test(broadcastId)) return;
    if (status !== "delivered" && status !== "undelivered") return;
    if (!(await store.loadBroadcast(broadcastId))) return;
    await store.countBroadcast(
      broadcastId,
      status === "delivered" ? { delivered: 1 } : { "sent:undelivered": 1 },
    );
    deps.onProgress?.(broadcastId);
  }

  /** Enqueues the reminders due (each taken by one process). */
  async function tickReminders(at: Date = now()): Promise<number> {
    let n = 0;
    for (;;) {
      const due = await store.takeDueReminders(at.getTime(), BATCH);
      if (due.length === 0) break;
      await queue.add(
        due.map((r) => ({
          id: `r:${r.opportunityId}:${r.familyId}`,
          channel: channelOf(r.familyId),
          data: { kind: "reminder", familyId: r.familyId, opportunityId: r.opportunityId },
        })),
      );
      n += due.length;
      if (due.length < BATCH) break;
    }
    return n;
  }

  /** Sends one reminder: "Tomorrow: …" (a job). */
  function remind(familyId: FamilyId, opportunityId: string): Promise<JobResult> {
    return deps.pipeline.withFamily(familyId, async () => {
      const key = `r:${opportunityId}:${familyId}`;
      if (await store.isDone(key)) return { status: "done" };
      await store.markDone(key, DONE_TTL_SECONDS);
      const state = await store.loadFamily(familyId);
      const profile = state?.profile;
      const o = await store.opportunities.get(opportunityId);
      const next = o ? nextOccurrence(o, now()) : undefined;
      if (!state || !profile || !o || !next || profile.optedOut || profile.unreachable)
        return { status: "done" };
      if (profile.reminders) delete profile.reminders[opportunityId];
      const channel = deps.channels.get(channelOf(familyId));
      if (!channel) return { status: "done" };
      const locale = profile.locale ?? speech.defaultLocale;
      const text = speech.t(locale, "broadcast.reminder", {
        title: textIn(o.title, locale).text,
        when: formatWhen(locale, next.startsAt.toISOString(), o.timezone),
        place: o.place.name,
      });
      await channel.send(familyId, [{ kind: "text", text }], {
        lastInboundAt: profile.lastInboundAt,
      });
      await store.saveFamily(familyId, state, { sessionTtlSeconds: SESSION_TTL_SECONDS });
      return { status: "done" };
    });
  }

  return { reach, start, status, run, delivery, tickReminders, remind };
}

export type Broadcasts = ReturnType<typeof createBroadcasts>;

/** Distance between two points, km (re-exported for callers that format a reach). */
export { distanceKm };
