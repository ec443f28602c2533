/**
 * The WhatsApp channel end to end: the real app, pipeline, content and twilio SDK, against the
 * fake Twilio REST API.
 */
import { createApp } from "../../../src/app.ts";
import type { Channel } from "../../../src/channels/channel.ts";
import {
  createWhatsAppChannel,
  type WhatsAppChannelOptions,
  type WhatsAppStatus,
} from "../../../src/channels/whatsapp/index.ts";
import { createPipeline, type Pipeline } from "../../../src/core/pipeline.ts";
import type { Store } from "../../../src/store/store.ts";
import { type FakeTwilio, startFakeTwilio } from "../../fakes/twilio-api.ts";
import { realContent } from "../../helpers/content.ts";
import { ACCOUNT_SID, AUTH_TOKEN, FROM, formRequest, PUBLIC_URL, textForm } from "./forms.ts";

export const WEBHOOK = "/webhooks/whatsapp";
export const STATUS = "/webhooks/whatsapp/status";
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** A message in a language, by key. */
export const t = (key: string, vars?: Record<string, string>, lng = "en") =>
  realContent().speech.t(lng, key, vars);

export interface Harness {
  fake: FakeTwilio;
  store: Store;
  pipeline: Pipeline;
  channel: Channel;
  app: ReturnType<typeof createApp>;
  statuses: WhatsAppStatus[];
  /** Posts a signed (or, with `signature`, forged / unsigned) form to a route. */
  post(
    path: string,
    params: Record<string, string>,
    opts?: { signature?: string | null; url?: string },
  ): Promise<Response>;
  /** Posts a text message from `from`; asserts nothing. */
  say(from: string, text: string): Promise<Response>;
  /** The Body of every message accepted by the fake for `to`, in order. */
  bodies(to: string): string[];
  close(): Promise<void>;
}

/** Starts the fake Twilio API and wires a channel on `store` (small retry delays), with `options`. */
export async function startHarness(
  store: Store,
  options: Partial<WhatsAppChannelOptions> = {},
): Promise<Harness> {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const pipeline = createPipeline({ store, content: realContent() });
  const statuses: WhatsAppStatus[] = [];
  const channel = createWhatsAppChannel({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: FROM,
    publicUrl: `${PUBLIC_URL}/`,
    apiBase: fake.url,
    pipeline,
    retryBaseMs: 5,
    onStatus: (s) => {
      statuses.push(s);
    },
    ...options,
  });
  const app = createApp({ store, mounts: channel.mounts });
  const post: Harness["post"] = (path, params, o) =>
    Promise.resolve(app.request(path, formRequest(path, params, o)));
  return {
    fake,
    store,
    pipeline,
    channel,
    app,
    statuses,
    post,
    say: (from, text) => post(WEBHOOK, textForm(from, text)),
    bodies: (to) => fake.messages.filter((m) => m.To === to).map((m) => m.Body ?? ""),
    async close() {
      await channel.close();
      await fake.close();
      await store.close();
    },
  };
}
