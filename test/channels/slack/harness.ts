/**
 * The Slack channel end to end: the real app, pipeline, content, Bolt and WebClient, against the
 * fake Slack Web API, with requests signed as Slack signs them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApp } from "../../../src/app.ts";
import {
  createSlackChannel,
  type SlackChannel,
  type SlackChannelOptions,
  signSlackRequest,
} from "../../../src/channels/slack/index.ts";
import { createPipeline, type Logger, type Pipeline } from "../../../src/core/pipeline.ts";
import type { Store } from "../../../src/store/store.ts";
import { FAKE_SLACK_TEAM, type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { realContent } from "../../helpers/content.ts";
import { FIXTURES, fixture } from "../../helpers/fixtures.ts";

export const BOT_TOKEN = "xoxb-1234-5678-fakebottoken";
export const SIGNING_SECRET = "test_signing_secret_0123456789ab";
export const WEBHOOK = "/webhooks/slack";
export const TEAM = FAKE_SLACK_TEAM.id;

/** A message in a language, by key. */
export const t = (key: string, vars?: Record<string, string>, lng = "en") =>
  realContent().speech.t(lng, key, vars);

let counter = 0;
/** A fresh Slack user id (U + 10 characters) for each test. */
export const newUser = () =>
  `U${String(Date.now() % 1e6).padStart(6, "0")}${String(++counter).padStart(4, "0")}`;
/** The DM between the bot and `user`, as the fake names it. */
export const dmOf = (user: string) => `D${user.slice(1)}`;
export const familyOf = (user: string) => `slack:${TEAM}:${user}`;
const unique = () => `${Date.now()}${++counter}`;

/** An Events API `message.im` from `user` (fixture event-message-im.json, text and ids replaced). */
export function dmEvent(user: string, text: string, eventId = `Ev${unique()}`) {
  const body = fixture<Record<string, unknown> & { event: Record<string, unknown> }>(
    "slack/event-message-im.json",
  );
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++counter).padStart(6, "0")}`;
  return {
    ...body,
    team_id: TEAM,
    event_id: eventId,
    event: { ...body.event, user, text, channel: dmOf(user), ts, event_ts: ts },
  };
}

/** A `block_actions` payload: `user` pressed the button `actionId` = `value` in their DM. */
export function buttonPress(user: string, value: string, actionId = `choice:${value}`) {
  const body = fixture<Record<string, unknown>>("slack/block-actions.json");
  const ts = `${Math.floor(Date.now() / 1000)}.${unique()}`;
  return {
    ...body,
    team: { id: TEAM, domain: FAKE_SLACK_TEAM.domain },
    user: { id: user, username: "parent", name: "parent", team_id: TEAM },
    channel: { id: dmOf(user), name: "directmessage" },
    container: { type: "message", message_ts: ts, channel_id: dmOf(user), is_ephemeral: false },
    actions: [
      {
        action_id: actionId,
        block_id: "b1",
        text: { type: "plain_text", text: value, emoji: true },
        value,
        type: "button",
        action_ts: ts,
      },
    ],
  };
}

/** The form Slack posts for `/sprout <text>` (fixture slash-command.form.txt, fields replaced). */
export function slashCommand(user: string, text: string, channel = "C2147483705") {
  const form = new URLSearchParams(
    readFileSync(join(FIXTURES, "slack/slash-command.form.txt"), "utf8").trim(),
  );
  form.set("team_id", TEAM);
  form.set("user_id", user);
  form.set("channel_id", channel);
  form.set("command", "/sprout");
  form.set("text", text);
  form.set("trigger_id", `${unique()}.738474920.8088930838d88f008e0`);
  return form.toString();
}

export interface SignOptions {
  /** Seconds since the epoch (default now). */
  timestamp?: number;
  secret?: string;
  /** A signature to send instead; null sends none. */
  signature?: string | null;
  headers?: Record<string, string>;
}

/** A request as Slack sends it: the raw body signed with the signing secret. */
export function slackRequest(
  body: string,
  contentType: string,
  o: SignOptions = {},
): RequestInit & { headers: Record<string, string> } {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    o.signature === undefined
      ? signSlackRequest({ signingSecret: o.secret ?? SIGNING_SECRET, timestamp, body })
      : o.signature;
  return {
    method: "POST",
    body,
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      ...(signature === null ? {} : { "x-slack-signature": signature }),
      ...o.headers,
    },
  };
}

/** Captures every log line, to check nothing secret is logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (msg: string, data?: Record<string, unknown>) =>
    void lines.push(`${msg} ${JSON.stringify(data ?? {})}`);
  return { lines, info: push, error: push };
}

export interface Harness {
  fake: FakeSlack;
  store: Store;
  pipeline: Pipeline;
  channel: SlackChannel;
  app: ReturnType<typeof createApp>;
  logger: ReturnType<typeof recordingLogger>;
  /** Posts a JSON body (signed unless told otherwise); does not wait for the work. */
  postJson(body: unknown, o?: SignOptions): Promise<Response>;
  /** Posts a form body (signed unless told otherwise); does not wait for the work. */
  postForm(form: string, o?: SignOptions): Promise<Response>;
  /** `user` writes `text` in their DM; resolves when the replies are posted. */
  say(user: string, text: string): Promise<Response>;
  /** `user` presses the button for choice `id`; resolves when the replies are posted. */
  press(user: string, id: string): Promise<Response>;
  /** What the fake accepted in `user`'s DM, in order. */
  posts(user: string): ReturnType<FakeSlack["posted"]>;
  close(): Promise<void>;
}

/** Starts the fake Slack API and wires a channel on `store` (short retry delays), with `options`. */
export async function startHarness(
  store: Store,
  options: Partial<SlackChannelOptions> & { wrapPipeline?: (p: Pipeline) => Pipeline } = {},
): Promise<Harness> {
  const fake = await startFakeSlack({ botToken: BOT_TOKEN });
  const { wrapPipeline, ...channelOptions } = options;
  const real = createPipeline({ store, content: realContent() });
  const pipeline = wrapPipeline ? wrapPipeline(real) : real;
  const logger = recordingLogger();
  const channel = createSlackChannel({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.url,
    pipeline,
    logger,
    retryBaseMs: 10,
    ...channelOptions,
  });
  const app = createApp({ store, mounts: channel.mounts });
  const request = (body: string, type: string, o?: SignOptions) =>
    Promise.resolve(app.request(WEBHOOK, slackRequest(body, type, o)));
  const postJson: Harness["postJson"] = (body, o) =>
    request(JSON.stringify(body), "application/json", o);
  const postForm: Harness["postForm"] = (form, o) =>
    request(form, "application/x-www-form-urlencoded", o);
  const settled = async (res: Promise<Response>) => {
    const r = await res;
    await channel.idle();
    return r;
  };
  return {
    fake,
    store,
    pipeline,
    channel,
    app,
    logger,
    postJson,
    postForm,
    say: (user, text) => settled(postJson(dmEvent(user, text))),
    press: (user, id) =>
      settled(postForm(`payload=${encodeURIComponent(JSON.stringify(buttonPress(user, id)))}`)),
    posts: (user) => fake.posted(dmOf(user)),
    async close() {
      await channel.close();
      await fake.close();
      await store.close();
    },
  };
}

/** Block Kit, as the tests read it. */
export interface Blocks {
  sections: string[];
  buttons: { action_id: string; value: string; text: string }[];
}

/** The sections' texts and the buttons of a posted message. */
export function readBlocks(blocks: unknown): Blocks {
  const list = (blocks ?? []) as {
    type: string;
    text?: { text: string };
    elements?: { action_id: string; value: string; text: { text: string } }[];
  }[];
  return {
    sections: list.filter((b) => b.type === "section").map((b) => b.text?.text ?? ""),
    buttons: list
      .filter((b) => b.type === "actions")
      .flatMap((b) => b.elements ?? [])
      .map((e) => ({ action_id: e.action_id, value: e.value, text: e.text.text })),
  };
}

/** A modal's answers as Slack sends them in `view.state.values`. */
function modalValues(v: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(v).map(([block, value]) => [
      block,
      {
        v:
          block === "language"
            ? { type: "static_select", selected_option: { value } }
            : { type: "plain_text_input", value },
      },
    ]),
  );
}

/** A signed-to-be `view_submission` of one of Sprout's modals, with its answers. */
export function viewSubmission(
  user: string,
  callbackId: string,
  v: Record<string, string>,
  metadata = "",
) {
  return {
    type: "view_submission",
    team: { id: TEAM, domain: "sprout" },
    user: { id: user, username: "worker", name: "worker", team_id: TEAM },
    api_app_id: "A0MJRM1AL",
    trigger_id: "12466734323.1395872398",
    view: {
      id: "V00000001",
      team_id: TEAM,
      type: "modal",
      callback_id: callbackId,
      private_metadata: metadata,
      state: { values: modalValues(v) },
    },
  };
}
