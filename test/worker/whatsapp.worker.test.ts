import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  FROM,
  formRequest,
  newNumber,
  PUBLIC_URL,
  textForm,
} from "../channels/whatsapp/forms.ts";
import { type FakeTwilio, startFakeTwilio } from "../fakes/twilio-api.ts";
import { realContent } from "../helpers/content.ts";
import { REDIS_URL } from "../helpers/redis.ts";
import { type LocalWorker, startWorker } from "../helpers/wrangler.ts";

const t = (key: string, vars?: Record<string, string>, lng = "en") =>
  realContent().speech.t(lng, key, vars);

/** WhatsApp through the real twilio SDK, on the Worker in workerd, against the fake Twilio API. */
describe("WhatsApp on the Cloudflare Worker (workerd)", () => {
  let fake: FakeTwilio;
  let worker: LocalWorker;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    worker = await startWorker({
      NODE_ENV: REDIS_URL ? "production" : "development",
      ...(REDIS_URL ? { REDIS_URL } : {}),
      PUBLIC_URL,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_WHATSAPP_FROM: FROM,
      TWILIO_API_BASE: fake.url,
    });
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await fake?.close();
  });

  const post = (params: Record<string, string>, signature?: string | null) =>
    fetch(
      `${worker.url}/webhooks/whatsapp`,
      formRequest("/webhooks/whatsapp", params, { signature }),
    );
  const bodies = (to: string) => fake.messages.filter((m) => m.To === to).map((m) => m.Body ?? "");

  it("a conversation from first contact to an activity", async () => {
    const from = newNumber("US");
    for (const line of ["hi", "1", "yes", "4", "2", "That's all"])
      expect((await post(textForm(from, line))).status).toBe(200);
    const sent = bodies(from);
    expect(sent[0]).toBe(t("onboarding.greeting"));
    expect(sent[1]).toContain(t("language.question"));
    expect(sent.at(-1)).toMatch(/🌱 .+ · \d+ min\nFor your 4-year-old/);
  });

  it("a Spanish speaker from a Mexican number is answered in Spanish", async () => {
    const from = newNumber("MX");
    await post(textForm(from, "hola, necesito una idea"));
    expect(bodies(from)[0]).toBe(t("onboarding.greeting", undefined, "es"));
  });

  it("forged signature: 403, nothing sent; a redelivery is processed once", async () => {
    const from = newNumber("US");
    expect((await post(textForm(from, "idea"), "forged")).status).toBe(403);
    expect(bodies(from)).toEqual([]);
    const form = textForm(from, "idea");
    await post(form);
    await post(form);
    expect(bodies(from)).toHaveLength(1);
  });
});
