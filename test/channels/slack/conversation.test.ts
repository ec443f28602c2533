/**
 * A whole Slack conversation, end to end with the real Bolt and WebClient against the fake
 * Slack Web API, on the memory store and on Redis.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../../src/store/memory.ts";
import { createRedisStore } from "../../../src/store/redis.ts";
import type { Store } from "../../../src/store/store.ts";
import { slackRateLimited } from "../../fakes/slack-api.ts";
import { realContent } from "../../helpers/content.ts";
import { describeRedis, REDIS_URL } from "../../helpers/redis.ts";
import {
  BOT_TOKEN,
  dmEvent,
  dmOf,
  familyOf,
  type Harness,
  newUser,
  readBlocks,
  startHarness,
  t,
} from "./harness.ts";

function conversationSuite(name: string, makeStore: () => Store) {
  describe(`Slack conversation (${name} store)`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(makeStore());
    });
    afterEach(() => h.fake.reset());
    afterAll(() => h.close());

    /** Presses the button of the last message whose label contains `label`, as a parent would. */
    async function tap(user: string, label: string) {
      const last = h.posts(user).at(-1);
      const button = readBlocks(last?.blocks).buttons.find((b) => b.text.includes(label));
      if (!button) throw new Error(`no button "${label}" in ${JSON.stringify(last?.blocks)}`);
      expect(button.action_id).toBe(`choice:${button.value}`);
      return h.press(user, button.value);
    }

    it("first contact to an activity and 👍, with buttons and typed answers, in order", async () => {
      const user = newUser();
      let mark = 0;
      /** The texts posted to the user since the last call. */
      const fresh = () => {
        const all = h.posts(user);
        const out = all.slice(mark);
        mark = all.length;
        return out;
      };
      const res = await h.say(user, "hi");
      expect(res.status).toBe(200);
      const first = fresh();
      expect(first.map((m) => m.text)).toEqual([t("onboarding.greeting"), t("language.question")]);
      expect(first.every((m) => m.channel === dmOf(user))).toBe(true);
      expect(readBlocks(first[0]?.blocks)).toEqual({
        sections: [t("onboarding.greeting")],
        buttons: [],
      });
      expect(readBlocks(first[1]?.blocks)).toEqual({
        sections: [t("language.question")],
        buttons: realContent().speech.locales.map((code) => ({
          action_id: `choice:${code}`,
          value: code,
          text: t("language.name", undefined, code),
        })),
      });
      expect(
        readBlocks(first[1]?.blocks)
          .buttons.slice(0, 2)
          .map((b) => b.text),
      ).toEqual(["English", "Español"]);

      expect((await tap(user, "English")).status).toBe(200);
      expect(fresh().map((m) => m.text)).toEqual([t("onboarding.consent")]);
      await tap(user, t("choice.yes"));
      await h.say(user, "4");
      fresh();
      await tap(user, t("choice.thats_all"));
      await tap(user, "Nature");
      fresh();
      await h.say(user, "That's all");
      const sent = fresh();
      expect(sent.map((m) => m.text)).toEqual([
        t("onboarding.ready"),
        expect.stringMatching(/^🌱 .+ · \d+ min\nFor your 4-year-old/),
      ]);
      const activity = readBlocks(sent[1]?.blocks);
      expect(activity.sections.join("\n\n")).toContain("You need:");
      expect(activity.buttons.map((b) => b.value).slice(0, 2)).toEqual(["another", "tried"]);

      await tap(user, t("choice.tried"));
      await tap(user, "👍");
      expect(fresh().map((m) => m.text)).toEqual([t("feedback.ask"), t("feedback.thanks_up")]);
      const state = await h.store.loadFamily(familyOf(user));
      expect(Object.values(state?.profile.feedback ?? {})).toEqual([1]);
      expect(state?.profile.children).toHaveLength(1);
      expect(state?.profile.interests).toEqual(["nature"]);
      expect(state?.profile.locale).toBe("en");
      const posts = h.fake.calls.filter((c) => c.method === "chat.postMessage");
      expect(posts.every((c) => c.status === 200)).toBe(true);
    });

    it("replies stay in order, within a turn and across turns, even when one post waits", async () => {
      const user = newUser();
      h.fake.failNext("chat.postMessage", slackRateLimited(1));
      const answers = await Promise.all([
        h.postJson(dmEvent(user, "hi")),
        h.postJson(dmEvent(user, "English")),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      await h.channel.idle();
      expect(h.posts(user).map((m) => m.text)).toEqual([
        t("onboarding.greeting"),
        t("language.question"),
        t("onboarding.consent"),
      ]);
      const statuses = h.fake.calls.filter((c) => c.method === "chat.postMessage");
      expect(statuses.map((c) => c.status)).toEqual([429, 200, 200, 200]);
    });

    it("logs no token and no Slack user id", async () => {
      const user = newUser();
      await h.say(user, "idea");
      h.fake.failNext("chat.postMessage", {
        status: 200,
        body: { ok: false, error: "invalid_blocks" },
      });
      await h.say(user, "another");
      const log = h.logger.lines.join("\n");
      expect(log).toContain("slack send failed");
      expect(log).not.toContain(user);
      expect(log).not.toContain(BOT_TOKEN);
    });
  });
}

conversationSuite("memory", () => createMemoryStore());
describeRedis("Slack with Redis", () => {
  conversationSuite("redis", () =>
    createRedisStore({ url: REDIS_URL as string, prefix: `test-slack-${Date.now()}:` }),
  );
});
