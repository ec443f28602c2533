import type { App } from "@slack/bolt";
import type { Broadcasts, Reach } from "../../broadcasts/broadcasts.ts";
import type { Logger } from "../../core/pipeline.ts";
import type { Places } from "../../opportunities/places.ts";
import type { OpportunityStore } from "../../opportunities/store.ts";
import { describeError } from "./log.ts";
import {
  CONFIRM_VIEW,
  confirmView,
  describeWhen,
  POST_VIEW,
  postView,
  readConfirmed,
  readPostForm,
  viewValues,
} from "./post-form.ts";
import { escapeMrkdwn as esc } from "./render.ts";

/** What community workers' Slack tools need: where opportunities live, who may post, the broadcaster. */
export interface CommunityOptions {
  opportunities: OpportunityStore;
  places: Places;
  /** Built after the channels (it sends through them): asked for when needed. */
  broadcasts: () => Broadcasts | undefined;
  /** Slack user ids who may post, and a channel whose members may. */
  posters: { users: readonly string[]; channel?: string };
  /** The clock dates are read against ("next Saturday"); default the wall clock. */
  now?: () => Date;
}

export const REFUSAL =
  "Only community workers set up by your Sprout operator can post. Ask them to add you.";
/** How long the members of `posters.channel` are remembered. */
export const MEMBERS_TTL_MS = 5 * 60 * 1000;
/** At most one progress update a second per broadcast (Slack's chat.update is Tier 3). */
export const PROGRESS_EVERY_MS = 1000;
const RADIUS_KM = 5;
const FORGET_MS = 60 * 60 * 1000;

interface Interaction {
  user?: { id?: string; team_id?: string };
  team?: { id?: string } | null;
  channel?: { id?: string };
  message?: { ts?: string };
  actions?: Array<{ value?: string }>;
  view?: { private_metadata?: string; state?: unknown };
}

/** "42 families: telegram 30, whatsapp 12 · en 20, es 15, uk 7". */
export function reachText(r: Reach): string {
  const parts = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
  return r.total === 0
    ? `No family fits yet (none within ${RADIUS_KM} km with children of these ages who asked to hear).`
    : `${r.total} ${r.total === 1 ? "family" : "families"}: ${parts(r.byChannel)} · ${parts(r.byLanguage)}`;
}

/** A broadcast's counts as its Slack message shows them. */
export function progressText(s: {
  status: string;
  counts: { queued: number; sent: number; delivered: number; failed: number; skipped: number };
}): string {
  const c = s.counts;
  return `📣 ${s.status === "done" ? "Done" : "Sending"}: ${c.sent} sent, ${c.delivered} delivered, ${c.failed} failed, ${c.skipped} skipped of ${c.queued}`;
}

/** Why a broadcast cannot start, for the worker. */
function cantSend(err: unknown): string {
  const code = err instanceof Error ? err.message : "";
  if (code === "expired") return "This opportunity is over: there is nothing to send.";
  if (code === "not_found") return "This opportunity was removed: there is nothing to send.";
  return "Something went wrong on our side: please try again in a minute.";
}

const section = (text: string) => ({
  type: "section" as const,
  text: { type: "mrkdwn" as const, text },
});
const button = (text: string, action: string, value: string, style?: "primary" | "danger") => ({
  type: "button" as const,
  text: { type: "plain_text" as const, text },
  action_id: action,
  value,
  ...(style ? { style } : {}),
});
const actions = (...elements: ReturnType<typeof button>[]) => ({
  type: "actions" as const,
  elements,
});

interface ProgressState {
  /** When the last update started (ms). */
  last: number;
  /** The next update, when one is due. */
  timer?: ReturnType<typeof setTimeout>;
  /** The update under way (the next waits for it: updates never overlap). */
  running: Promise<void>;
  /** Callers waiting for the next update. */
  waiters: Array<() => void>;
  title?: string;
}

/**
 * `/sprout post` for community workers: a modal to post an opportunity (dates typed naturally,
 * shown back to confirm), then "Send to families" with the reach first and a progress message
 * updated as the broadcast goes. Only listed users (or members of a listed channel) may; others
 * are told kindly. Everything is recorded with `slack:<team>:<user>`.
 */
export function registerCommunity(app: App, opts: CommunityOptions, logger: Logger) {
  const now = opts.now ?? (() => new Date());
  let members: { at: number; ids: Set<string> } | undefined;
  let loading: Promise<Set<string>> | undefined;

  /** The members of the posters' channel, remembered for 5 minutes (a failure: the last known). */
  function channelMembers(channel: string): Promise<Set<string>> {
    if (members && Date.now() - members.at < MEMBERS_TTL_MS) return Promise.resolve(members.ids);
    loading ??= (async () => {
      const ids = new Set<string>();
      let cursor: string | undefined;
      do {
        const r = await app.client.conversations.members({ channel, cursor, limit: 1000 });
        for (const id of r.members ?? []) ids.add(id);
        cursor = r.response_metadata?.next_cursor || undefined;
      } while (cursor);
      members = { at: Date.now(), ids };
      return ids;
    })()
      .catch((err: unknown) => {
        logger.error("slack conversations.members failed", { error: describeError(err) });
        return members?.ids ?? new Set<string>();
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  }

  async function mayPost(user: string | undefined): Promise<boolean> {
    if (!user) return false;
    if (opts.posters.users.includes(user)) return true;
    const channel = opts.posters.channel;
    return channel ? (await channelMembers(channel)).has(user) : false;
  }

  const by = (b: Interaction) => `slack:${b.team?.id ?? b.user?.team_id ?? ""}:${b.user?.id ?? ""}`;
  const dm = (user: string | undefined, text: string) =>
    user ? app.client.chat.postMessage({ channel: user, text }).then(() => undefined) : undefined;
  const titleOf = async (opportunityId: string) => {
    const o = await opts.opportunities.get(opportunityId);
    return o ? (Object.values(o.title)[0] ?? "") : "";
  };
  /** Rewrites a message: always with blocks (text alone may leave the old blocks showing). */
  const rewrite = (
    at: { channel: string; ts: string },
    title: string,
    text: string,
    buttons: ReturnType<typeof button>[] = [],
    icon = "",
  ) =>
    app.client.chat.update({
      ...at,
      text,
      blocks: [
        section(`${title ? `*${esc(title)}*\n` : ""}${icon}${text}`),
        ...(buttons.length > 0 ? [actions(...buttons)] : []),
      ],
    });
  const messageOf = (b: Interaction) => ({
    channel: b.channel?.id ?? "",
    ts: b.message?.ts ?? "",
  });

  /** `/sprout post`: the modal, or a polite refusal. Returns the refusal (or nothing). */
  async function openPost(body: {
    user_id?: string;
    trigger_id?: string;
  }): Promise<string | undefined> {
    if (!(await mayPost(body.user_id))) return REFUSAL;
    let tz = "UTC";
    try {
      const info = await app.client.users.info({ user: body.user_id as string });
      tz = info.user?.tz || "UTC";
    } catch (err) {
      logger.info("slack users.info failed", { error: describeError(err) });
    }
    await app.client.views.open({
      trigger_id: body.trigger_id as string,
      view: postView(tz) as never,
    });
    return undefined;
  }

  // The form: problems under their fields, else what was understood, to confirm ("push": Back
  // returns to the form as typed, to fix a misread date).
  app.view(POST_VIEW, async ({ ack, body }) => {
    const b = body as Interaction;
    if (!(await mayPost(b.user?.id)))
      return ack({ response_action: "errors", errors: { title: REFUSAL } });
    const result = readPostForm(viewValues(b.view), { places: opts.places, now: now() });
    if (!result.ok) return ack({ response_action: "errors", errors: result.errors });
    await ack({ response_action: "push", view: confirmView(result.body) as never });
  });

  // Confirmed: posted (recorded with who), then a DM offering "Send to families".
  app.view(CONFIRM_VIEW, async ({ ack, body }) => {
    const b = body as Interaction;
    const user = b.user?.id;
    await ack({ response_action: "clear" });
    if (!(await mayPost(user))) return dm(user, REFUSAL);
    const read = readConfirmed(b.view?.private_metadata);
    if (!read.ok) return dm(user, `Not posted: ${read.problem}`);
    let o: Awaited<ReturnType<OpportunityStore["create"]>>;
    try {
      o = await opts.opportunities.create(read.input, by(b));
    } catch (err) {
      logger.error("slack post failed", { error: describeError(err) });
      return dm(user, "Not posted: something went wrong on our side. Please try again.");
    }
    const title = Object.values(o.title)[0] ?? "";
    await app.client.chat.postMessage({
      channel: user as string,
      text: `Posted: ${title}`,
      blocks: [
        section(`✅ Posted: *${esc(title)}*\n${describeWhen(read.input)} · ${esc(o.place.name)}`),
        actions(button("Send to families", "sprout_reach", o.id, "primary")),
      ],
    });
  });

  // "Send to families": the reach first, then Send now / Cancel.
  app.action("sprout_reach", async ({ ack, body }) => {
    await ack();
    const b = body as Interaction;
    const at = messageOf(b);
    const id = b.actions?.[0]?.value ?? "";
    if (!(await mayPost(b.user?.id))) return dm(b.user?.id, REFUSAL);
    const title = await titleOf(id);
    const broadcasts = opts.broadcasts();
    if (!broadcasts) {
      await rewrite(at, title, "Broadcasts are not set up on this server yet.");
      return;
    }
    try {
      const { reach } = await broadcasts.start(
        { opportunityId: id, radiusKm: RADIUS_KM, dryRun: true },
        by(b),
      );
      const choices =
        reach.total > 0
          ? [
              button("Send now", "sprout_send", id, "primary"),
              button("Cancel", "sprout_cancel", id),
            ]
          : [];
      await rewrite(at, title, reachText(reach), choices, "📣 ");
    } catch (err) {
      if (!(err instanceof Error && /^(expired|not_found)$/.test(err.message)))
        logger.error("slack reach failed", { error: describeError(err) });
      await rewrite(at, title, cantSend(err));
    }
  });

  /** Messages whose "Send now" was pressed (a double press sends once), by channel:ts. */
  const started = new Map<string, number>();

  // "Send now": the broadcast, its progress shown on this message.
  app.action("sprout_send", async ({ ack, body }) => {
    await ack();
    const b = body as Interaction;
    const at = messageOf(b);
    const id = b.actions?.[0]?.value ?? "";
    if (!(await mayPost(b.user?.id))) return dm(b.user?.id, REFUSAL);
    const broadcasts = opts.broadcasts();
    if (!broadcasts) return;
    const key = `${at.channel}:${at.ts}`;
    for (const [k, t] of started) if (Date.now() - t > FORGET_MS) started.delete(k);
    if (started.has(key)) return;
    started.set(key, Date.now());
    const title = await titleOf(id);
    await rewrite(at, title, "📣 Starting…");
    let broadcastId: string | undefined;
    try {
      const r = await broadcasts.start(
        { opportunityId: id, radiusKm: RADIUS_KM, progress: { channel: at.channel, ts: at.ts } },
        by(b),
      );
      broadcastId = r.id;
    } catch (err) {
      started.delete(key);
      logger.error("slack broadcast failed", { error: describeError(err) });
      await rewrite(at, title, cantSend(err), [
        button("Send to families", "sprout_reach", id, "primary"),
      ]);
      return;
    }
    if (broadcastId) await updateProgress(broadcastId);
  });

  app.action("sprout_cancel", async ({ ack, body }) => {
    await ack();
    const b = body as Interaction;
    const id = b.actions?.[0]?.value ?? "";
    await rewrite(messageOf(b), await titleOf(id), "Not sent.", [
      button("Send to families", "sprout_reach", id, "primary"),
    ]);
  });

  const progress = new Map<string, ProgressState>();

  /** One progress update: the broadcast's counts now, on its message. */
  async function showProgress(broadcastId: string, state: ProgressState): Promise<void> {
    const s = await opts.broadcasts()?.status(broadcastId);
    if (!s?.progress) return;
    state.title ??= await titleOf(s.opportunityId);
    await rewrite(s.progress, state.title, progressText(s));
  }

  /**
   * Shows a broadcast's progress on the Slack message it was sent from: at most once a second,
   * never two at once, and a call always leads to an update after it (the last one shows the
   * end). Resolves when that update is done; never rejects.
   */
  function updateProgress(broadcastId: string): Promise<void> {
    const t = Date.now();
    for (const [k, st] of progress)
      if (!st.timer && st.waiters.length === 0 && t - st.last > FORGET_MS) progress.delete(k);
    let state = progress.get(broadcastId);
    if (!state) {
      state = { last: 0, running: Promise.resolve(), waiters: [] };
      progress.set(broadcastId, state);
    }
    const s = state;
    return new Promise<void>((resolve) => {
      s.waiters.push(resolve);
      // One is due: it reads the counts when it runs, so it shows this call's news too.
      if (s.timer) return;
      const run = async () => {
        s.timer = undefined;
        s.last = Date.now();
        const waiters = s.waiters.splice(0);
        try {
          await showProgress(broadcastId, s);
        } catch (err) {
          logger.error("slack progress update failed", { error: describeError(err) });
        }
        for (const w of waiters) w();
      };
      s.timer = setTimeout(
        () => {
          s.running = s.running.then(run);
        },
        Math.max(0, s.last + PROGRESS_EVERY_MS - Date.now()),
      );
    });
  }

  return { openPost, updateProgress };
}
