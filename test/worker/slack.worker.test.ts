import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BOT_TOKEN,
  dmEvent,
  dmOf,
  newUser,
  SIGNING_SECRET,
  slackRequest,
  t,
} from "../channels/slack/harness.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.ts";
import { REDIS_URL } from "../helpers/redis.ts";
import { type LocalWorker, startWorker } from "../helpers/wrangler.ts";

/** Slack through Bolt's custom receiver, on the Worker in workerd, against the fake Web API. */
describe("Slack on the Cloudflare Worker (workerd)", () => {
  let fake: FakeSlack;
  let worker: LocalWorker;

  beforeAll(async () => {
    fake = await startFakeSlack({ botToken: BOT_TOKEN });
    worker = await startWorker({
      NODE_ENV: REDIS_URL ? "production" : "development",
      ...(REDIS_URL ? { REDIS_URL } : {}),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.url,
    });
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await fake?.close();
  });

  const post = (body: unknown, signature?: string | null) =>
    fetch(
      `${worker.url}/webhooks/slack`,
      slackRequest(JSON.stringify(body), "application/json", { signature }),
    );
  const texts = (user: string) => fake.posted(dmOf(user)).map((m) => m.text);
  const waitForPosts = async (user: string, n: number) => {
    for (let i = 0; i < 100 && texts(user).length < n; i++)
      await new Promise((r) => setTimeout(r, 50));
  };

  it("acks a DM, then answers it after the response (waitUntil)", async () => {
    const user = newUser();
    const res = await post(dmEvent(user, "hi"));
    expect(res.status).toBe(200);
    await waitForPosts(user, 2);
    expect(texts(user)).toEqual([t("onboarding.greeting"), t("language.question")]);
    await post(dmEvent(user, "idea"));
    await waitForPosts(user, 3);
    expect(texts(user)[2]).toMatch(/🌱 .+ · \d+ min/);
  });

  it("forged signature: 401 and nothing posted; a redelivered event is processed once", async () => {
    const user = newUser();
    expect((await post(dmEvent(user, "hi"), "v0=forged")).status).toBe(401);
    const event = dmEvent(user, "idea");
    await post(event);
    await post(event);
    await waitForPosts(user, 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(user)).toHaveLength(1);
  });
});
