/**
 * A fake Slack Web API for end-to-end tests.
 * Point `@slack/web-api` at it with `new WebClient(token, { slackApiUrl: fake.url })`.
 */
import { CallLog, FailureQueue, type Json, listen, parseBody } from "./http-fake.ts";

/** One Web API request the fake received, with the HTTP status it answered. */
export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  status: number;
  at: number;
}

/** A successful `chat.postMessage`, as `posted()` lists it (`channel` as the caller gave it). */
export interface PostedSlackMessage {
  channel: string;
  text: string;
  blocks?: unknown;
  ts: string;
  thread_ts?: string;
}

/** A canned HTTP answer for `failNext`. */
export interface SlackFailure {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What `users.info` tells about a user. */
export interface FakeSlackUser {
  locale?: string;
  tz?: string;
}

/** Handle on a running fake Slack Web API. */
export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`: WebClient `slackApiUrl` / `SLACK_API_URL`. */
  url: string;
  /** Every request in arrival order, failed ones included. */
  calls: SlackCall[];
  /** Successful `chat.postMessage` calls, optionally only to `channel` (as given or as resolved). */
  posted(channel?: string): PostedSlackMessage[];
  /** Answer the next `times` calls of `method` with `response` instead of handling them. */
  failNext(method: string, response: SlackFailure, times?: number): void;
  /** Sets what `users.info` returns for `userId` (default locale en-US, tz America/Los_Angeles). */
  setUser(userId: string, user: FakeSlackUser): void;
  /** Sets what `conversations.members` returns for `channel` (default: bot + setUser users). */
  setMembers(channel: string, userIds: string[]): void;
  /** Resolves once a recorded call (past or future) matches; rejects after `timeoutMs` (2000). */
  waitFor(predicate: (call: SlackCall) => boolean, timeoutMs?: number): Promise<void>;
  /** Forget calls, posts, failures, users and members. */
  reset(): void;
  close(): Promise<void>;
}

/** Slack's rate-limit answer: HTTP 429, `Retry-After` header, `{ok:false,error:"ratelimited"}`. */
export function slackRateLimited(retryAfterSeconds = 1): SlackFailure {
  const headers = { "Retry-After": String(retryAfterSeconds) };
  return { status: 429, headers, body: { ok: false, error: "ratelimited" } };
}

/** The workspace and bot the fake pretends to be (ids as in fixtures/slack/event-message-im.json). */
export const FAKE_SLACK_TEAM = { id: "T061EG9R6", name: "Sprout Test", domain: "sprout-test" };
export const FAKE_SLACK_BOT = { user_id: "U0BOTUSER1", bot_id: "B0BOTID001", app_id: "A0PNCHHK2" };

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
const ok = (body: Json = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string): Reply => ({ status: 200, body: { ok: false, error } });
const truthy = (v: unknown) => v === true || v === "true" || v === "1" || v === 1;
/** Posting to a user id (U…/W…) lands in that user's DM; channel ids pass through. */
const resolveChannel = (c: string) => (/^[UW]/.test(c) ? `D${c.slice(1)}` : c);
const botFields = {
  user: FAKE_SLACK_BOT.user_id,
  bot_id: FAKE_SLACK_BOT.bot_id,
  app_id: FAKE_SLACK_BOT.app_id,
};

/** Slack's `tz`, `tz_label` and `tz_offset` (seconds east of UTC, today) for an IANA zone. */
function tzFields(tz: string): { tz: string; tz_label: string; tz_offset: number } {
  const name = (timeZoneName: "long" | "longOffset") =>
    new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const [, sign = "+", hh = "0", mm = "0"] =
    /GMT([+-])(\d\d):(\d\d)/.exec(name("longOffset")) ?? [];
  const offset = (Number(hh) * 3600 + Number(mm) * 60) * (sign === "-" ? -1 : 1);
  return { tz, tz_label: name("long"), tz_offset: offset };
}

/** Starts a fake Slack Web API serving `POST /api/<method>` on 127.0.0.1 (random port). */
export async function startFakeSlack(opts: { botToken: string }): Promise<FakeSlack> {
  const log = new CallLog<SlackCall>();
  const failures = new FailureQueue();
  const users = new Map<string, FakeSlackUser>();
  const members = new Map<string, string[]>();
  const posts: Array<PostedSlackMessage & { resolved: string }> = [];
  let tsCounter = 0;
  let viewCounter = 0;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsCounter).padStart(6, "0")}`;
  const view = (p: Json, id: string) => ({
    id,
    team_id: FAKE_SLACK_TEAM.id,
    app_id: FAKE_SLACK_BOT.app_id,
    bot_id: FAKE_SLACK_BOT.bot_id,
    state: { values: {} },
    hash: `${Date.now()}.fake`,
    ...(p.view as Json),
  });

  const handlers: Record<string, (p: Json) => Reply> = {
    "auth.test": () =>
      ok({
        url: `https://${FAKE_SLACK_TEAM.domain}.slack.com/`,
        team: FAKE_SLACK_TEAM.name,
        user: "sprout",
        team_id: FAKE_SLACK_TEAM.id,
        user_id: FAKE_SLACK_BOT.user_id,
        bot_id: FAKE_SLACK_BOT.bot_id,
        is_enterprise_install: false,
      }),
    "chat.postMessage": (p) => {
      if (!p.channel) return fail("channel_not_found");
      if (!p.text && !p.blocks && !p.attachments) return fail("no_text");
      const ts = nextTs();
      const channel = resolveChannel(String(p.channel));
      const text = String(p.text ?? "");
      const extra = {
        ...(p.blocks === undefined ? {} : { blocks: p.blocks }),
        ...(p.thread_ts === undefined ? {} : { thread_ts: String(p.thread_ts) }),
      };
      posts.push({ channel: String(p.channel), resolved: channel, text, ts, ...extra });
      const message = {
        type: "message",
        text,
        ...botFields,
        team: FAKE_SLACK_TEAM.id,
        ts,
        ...extra,
      };
      return ok({ channel, ts, message });
    },
    "chat.update": (p) => {
      if (!p.channel) return fail("channel_not_found");
      if (!p.ts) return fail("message_not_found");
      const text = String(p.text ?? "");
      const message = {
        text,
        ...botFields,
        ...(p.blocks === undefined ? {} : { blocks: p.blocks }),
      };
      return ok({ channel: resolveChannel(String(p.channel)), ts: p.ts, text, message });
    },
    "chat.postEphemeral": (p) => {
      if (!p.channel) return fail("channel_not_found");
      if (!p.user) return fail("user_not_in_channel");
      return ok({ message_ts: nextTs() });
    },
    "users.info": (p) => {
      const id = String(p.user ?? "");
      if (!/^[UW]/.test(id)) return fail("user_not_found");
      const { locale = "en-US", tz = "America/Los_Angeles" } = users.get(id) ?? {};
      const real_name = `User ${id}`;
      const profile = {
        real_name,
        display_name: id.toLowerCase(),
        first_name: "User",
        last_name: id,
      };
      const user = {
        id,
        team_id: FAKE_SLACK_TEAM.id,
        name: id.toLowerCase(),
        deleted: false,
        real_name,
        ...tzFields(tz),
        profile,
        is_bot: false,
        is_app_user: false,
        updated: 1767225600,
      };
      return ok({ user: truthy(p.include_locale) ? { ...user, locale } : user });
    },
    "conversations.open": (p) => {
      if (p.channel) return ok({ no_op: true, already_open: true, channel: { id: p.channel } });
      const ids = String(p.users ?? "")
        .split(",")
        .filter(Boolean);
      if (ids.length === 0) return fail("users_list_not_supplied");
      const id = ids.length === 1 ? resolveChannel(ids[0] ?? "") : `G${ids.join("").slice(1, 11)}`;
      return ok({ no_op: true, already_open: true, channel: { id } });
    },
    "conversations.members": (p) => {
      if (!p.channel) return fail("channel_not_found");
      const list = members.get(String(p.channel)) ?? [FAKE_SLACK_BOT.user_id, ...users.keys()];
      return ok({ members: list, response_metadata: { next_cursor: "" } });
    },
    "views.open": (p) => {
      if (!p.trigger_id) return fail("invalid_trigger_id");
      if (!p.view) return fail("invalid_arguments");
      return ok({ view: view(p, `V${String(++viewCounter).padStart(8, "0")}`) });
    },
    "views.update": (p) => {
      if (!p.view_id && !p.external_id) return fail("not_found");
      if (!p.view) return fail("invalid_arguments");
      return ok({ view: view(p, String(p.view_id ?? `V${p.external_id}`)) });
    },
  };

  const server = await listen(
    async ({ req, url, body }) => {
      const method = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
      if (!method) return { status: 404, body: "Not Found" };
      const params = {
        ...Object.fromEntries(url.searchParams),
        ...(await parseBody(req.headers["content-type"], body)),
      };
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? params.token;
      const reply =
        token === undefined
          ? fail("not_authed")
          : token !== opts.botToken
            ? fail("invalid_auth")
            : (failures.take(method) ?? handlers[method]?.(params) ?? fail("unknown_method"));
      log.record({ method, params, status: reply.status, at: Date.now() });
      return reply;
    },
    () => fail("invalid_form_data"),
  );

  return {
    url: `${server.origin}/api/`,
    calls: log.entries,
    posted: (channel) =>
      posts
        .filter((m) => channel === undefined || m.channel === channel || m.resolved === channel)
        .map(({ resolved: _, ...m }) => m),
    failNext: (method, response, times = 1) => failures.add(method, response, times),
    setUser: (userId, user) => void users.set(userId, user),
    setMembers: (channel, userIds) => void members.set(channel, userIds),
    waitFor: (predicate, timeoutMs) => log.waitFor(predicate, timeoutMs),
    reset: () => {
      log.clear();
      posts.length = 0;
      failures.clear();
      users.clear();
      members.clear();
    },
    close: () => server.close(),
  };
}
