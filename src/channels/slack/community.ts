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
  readPostForm,
  viewValues,
} from "./post-form.ts";

/** What community workers' Slack tools need: where opportunities live, who may post, the broadcaster. */
export interface CommunityOptions {
  opportunities: OpportunityStore;
  places: Places;
  /** Built after the channels (it sends through them): asked for when needed. */
  broadcasts: () => Broadcasts | undefined;
  /** Slack user ids who may post, and a channel whose members may. */
  posters: { users: readonly string[]; channel?: string };
  now?: () => Date;
}

export const REFUSAL =
  "Only community workers set up by your Sprout operator can post. Ask them to add you.";
const MEMBERS_TTL_MS = 5 * 60 * 1000;
const PROGRESS_EVERY_MS = 1000;

interface Interaction {
  user?: { id?: string; team_id?: string };
  team?: { id?: string } | null;
  channel?: { id?: string };
  message?: { ts?: string };
  actions?: Array<{ value?: string }>;
  view?: { private_metadata?: string; state?: unknown };
}

const reachText = (r: Reach) => {
  const parts = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
  return r.total === 0
    ? "No family fits yet (none within 5 km with children of these ages who agreed to hear)."
    : `${r.total} ${r.total === 1 ? "family" : "families"}: ${parts(r.byChannel)} · ${parts(r.byLanguage)}`;
};

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

/**
 * `/sprout post` for community workers: a modal to post an opportunity (dates typed naturally,
 * shown back to confirm), then "Send to families" with the reach first and a progress message
 * updated as the broadcast goes. Only listed users (or members of a listed channel) may.
 */
export function registerCommunity(app: App, opts: CommunityOptions, logger: Logger) {
  const now = opts.now ?? (() => new Date());
  let members: { at: number; ids: Set<string> } | undefined;

  async function mayPost(user: string | undefined): Promise<boolean> {
    if (!user) return false;
    if (opts.posters.users.includes(user)) return true;
    const channel = opts.posters.channel;
    if (!channel) return false;
    if (!members || Date.now() - members.at > MEMBERS_TTL_MS) {
      const ids = new Set<string>();
      let cursor: string | undefined;
      do {
        const r = await app.client.conversations.members({ channel, cursor, limit: 1000 });
        for (const id of r.members ?? []) ids.add(id);
        cursor = r.response_metadata?.next_cursor || undefined;
      } while (cursor);
      members = { at: Date.now(), ids };
    }
    return members.ids.has(user);
  }

  const by = (b: Interaction) => `slack:${b.team?.id ?? b.user?.team_id ?? ""}:${b.user?.id ?? ""}`;

  /** `/sprout post`: the modal, or a polite refusal. Returns the ack's text (or nothing). */
  async function openPost(body: {
    user_id?: string;
    trigger_id?: string;
  }): Promise<string | undefined> {
    if (!(await mayPost(body.user_id))) return REFUSAL;
    let tz = "UTC";
    try {
      const info = await app.client.users.info({ user: body.user_id as string });
      tz = info.user?.tz ?? "UTC";
    } catch (err) {
      logger.info("slack users.info failed", { error: describeError(err) });
    }
    await app.client.views.open({
      trigger_id: body.trigger_id as string,
      view: postView(tz) as never,
    });
    return undefined;
  }

  app.view(POST_VIEW, async ({ ack, body }) => {
    const b = body as Interaction;
    if (!(await mayPost(b.user?.id))) return ack();
    const result = readPostForm(viewValues(b.view), { places: opts.places, now: now() });
    if (!result.ok) return ack({ response_action: "errors", errors: result.errors });
    if (JSON.stringify(result.body).length > 3000)
      return ack({ response_action: "errors", errors: { description: "Shorter, please" } });
    await ack({ response_action: "push", view: confirmView(result.body) as never });
  });

  app.view(CONFIRM_VIEW, async ({ ack, body }) => {
    const b = body as Interaction;
    if (!(await mayPost(b.user?.id))) return ack();
    await ack({ response_action: "clear" });
    const input = JSON.parse(b.view?.private_metadata ?? "{}");
    const o = await opts.opportunities.create(input, by(b));
    const title = Object.values(o.title)[0] ?? "";
    await app.client.chat.postMessage({
      channel: b.user?.id as string,
      text: `Posted: ${title}`,
      blocks: [
        section(`✅ Posted: *${title}*\n${describeWhen(input)} · ${o.place.name}`),
        {
          type: "actions",
          elements: [button("Send to families", "sprout_reach", o.id, "primary")],
        },
      ],
    });
  });

  app.action("sprout_reach", async ({ ack, body }) => {
    await ack();
    const b = body as Interaction;
    const channel = b.channel?.id as string;
    const ts = b.message?.ts as string;
    const id = b.actions?.[0]?.value ?? "";
    const broadcasts = opts.broadcasts();
    if (!(await mayPost(b.user?.id)) || !broadcasts) {
      await app.client.chat.postMessage({ channel: b.user?.id as string, text: REFUSAL });
      return;
    }
    try {
      const { reach } = await broadcasts.start(
        { opportunityId: id, radiusKm: 5, dryRun: true },
        by(b),
      );
      await app.client.chat.update({
        channel,
        ts,
        text: reachText(reach),
        blocks: [
          section(`📣 ${reachText(reach)}`),
          ...(reach.total > 0
            ? [
                {
                  type: "actions" as const,
                  elements: [
                    button("Send now", "sprout_send", id, "primary"),
                    button("Cancel", "sprout_cancel", id),
                  ],
                },
              ]
            : []),
        ],
      });
    } catch (err) {
      await app.client.chat.update({ channel, ts, text: `Can't send: ${(err as Error).message}` });
    }
  });

  app.action("sprout_send", async ({ ack, body }) => {
    await ack();
    const b = body as Interaction;
    const channel = b.channel?.id as string;
    const ts = b.message?.ts as string;
    const broadcasts = opts.broadcasts();
    if (!(await mayPost(b.user?.id)) || !broadcasts) return;
    const r = await broadcasts.start(
      { opportunityId: b.actions?.[0]?.value ?? "", radiusKm: 5, progress: { channel, ts } },
      by(b),
    );
    await app.client.chat.update({ channel, ts, text: `📣 Sending to ${r.reach.total} families…` });
  });

  app.action("sprout_cancel", async ({ ack, body }) => {
    await ack();
    const b = body as Interaction;
    await app.client.chat.update({
      channel: b.channel?.id as string,
      ts: b.message?.ts as string,
      text: "Not sent.",
      blocks: [section("Not sent.")],
    });
  });

  const pending = new Map<string, { timer?: ReturnType<typeof setTimeout>; last: number }>();
  /** Shows a broadcast's progress on its Slack message: at most once a second, the last always. */
  function updateProgress(broadcastId: string): Promise<void> {
    const state = pending.get(broadcastId) ?? { last: 0 };
    pending.set(broadcastId, state);
    if (state.timer) return Promise.resolve();
    const wait = Math.max(0, state.last + PROGRESS_EVERY_MS - Date.now());
    return new Promise((resolve) => {
      state.timer = setTimeout(async () => {
        state.timer = undefined;
        state.last = Date.now();
        try {
          const s = await opts.broadcasts()?.status(broadcastId);
          if (s?.progress) {
            const c = s.counts;
            const text = `📣 ${s.status === "done" ? "Done" : "Sending"}: ${c.sent} sent, ${c.delivered} delivered, ${c.failed} failed, ${c.skipped} skipped of ${c.queued}`;
            await app.client.chat.update({ channel: s.progress.channel, ts: s.progress.ts, text });
          }
        } catch (err) {
          logger.error("slack progress update failed", { error: describeError(err) });
        }
        resolve();
      }, wait);
    });
  }

  return { openPost, updateProgress };
}
