import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../../src/store/memory.ts";
import { createRedisStore } from "../../../src/store/redis.ts";
import type { Store } from "../../../src/store/store.ts";
import { twilioError } from "../../fakes/twilio-api.ts";
import { realContent } from "../../helpers/content.ts";
import { describeRedis, REDIS_URL } from "../../helpers/redis.ts";
import { FROM, inboundForm, newNumber, PUBLIC_URL, sign, statusForm, textForm } from "./forms.ts";
import { EMPTY_TWIML, type Harness, STATUS, startHarness, t, WEBHOOK } from "./harness.ts";

const numberedChoices = (...labels: string[]) =>
  labels.map((label, i) => `${i + 1}. ${label}`).join("\n");

function whatsappSuite(name: string, makeStore: () => Store) {
  describe(`WhatsApp end to end (${name} store)`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(makeStore());
    });
    afterEach(() => h.fake.reset());
    afterAll(() => h.close());

    it("a whole conversation: first contact, numbers and words, an activity, 👍", async () => {
      const family = newNumber("US");
      const res = await h.say(family, "hi");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/xml/);
      expect(await res.text()).toBe(EMPTY_TWIML);
      expect(h.bodies(family)).toEqual([
        t("onboarding.greeting"),
        `${t("language.question")}\n\n${numberedChoices(...realContent().speech.locales.map((l) => t("language.name", undefined, l)))}`,
      ]);
      for (const m of h.fake.messages)
        expect(m).toMatchObject({
          To: family,
          From: FROM,
          StatusCallback: `${PUBLIC_URL}${STATUS}`,
        });

      h.fake.reset();
      await h.say(family, "1");
      expect(h.bodies(family)).toEqual([
        `${t("onboarding.consent")}\n\n${numberedChoices(t("choice.yes"), t("choice.no_thanks"))}`,
      ]);
      await h.say(family, "yes");
      await h.say(family, "4");
      await h.say(family, "2");
      h.fake.reset();
      await h.say(family, "nature");
      await h.say(family, "That's all");
      const sent = h.bodies(family);
      const more = t("onboarding.interests_more", { picked: "🌿 Nature" });
      expect(sent[0]?.startsWith(`${more}\n\n1. 🎨 `)).toBe(true);
      expect(sent[1]).toBe(t("onboarding.ready"));
      expect(sent[2]).toMatch(/^🌱 .+ · \d+ min\nFor your 4-year-old/);
      expect(sent[2]).toContain(`\n\n1. ${t("choice.another")}\n2. ${t("choice.tried")}\n`);
      expect(sent).toHaveLength(3);

      h.fake.reset();
      await h.say(family, "We tried it");
      await h.say(family, "👍");
      const feedback = h.bodies(family);
      expect(feedback[0]?.startsWith(`${t("feedback.ask")}\n\n1. `)).toBe(true);
      expect(feedback[1]?.startsWith(`${t("feedback.thanks_up")}\n\n1. `)).toBe(true);
      const state = await h.store.loadFamily(family);
      expect(Object.values(state?.profile.feedback ?? {})).toEqual([1]);
      expect(state?.profile.children).toHaveLength(1);
      expect(state?.profile.interests).toEqual(["nature"]);
    });

    it("forged, unsigned, wrong-URL and tampered requests: 403, nothing processed", async () => {
      const family = newNumber("US");
      const form = textForm(family, "hi");
      const forged = await h.post(WEBHOOK, form, {
        signature: sign(form, `${PUBLIC_URL}${WEBHOOK}`, "wrong-token"),
      });
      expect(forged.status).toBe(403);
      expect(await forged.json()).toMatchObject({ error: { code: "forbidden" } });
      expect((await h.post(WEBHOOK, form, { signature: null })).status).toBe(403);
      expect((await h.post(WEBHOOK, form, { signature: "" })).status).toBe(403);
      const elsewhere = `https://attacker.example${WEBHOOK}`;
      expect((await h.post(WEBHOOK, form, { url: elsewhere })).status).toBe(403);
      const statusUrl = `${PUBLIC_URL}${STATUS}`;
      expect((await h.post(WEBHOOK, form, { url: statusUrl })).status).toBe(403);
      const tampered = { ...form, Body: "delete" };
      expect(
        (await h.post(WEBHOOK, tampered, { signature: sign(form, `${PUBLIC_URL}${WEBHOOK}`) }))
          .status,
      ).toBe(403);
      const hashed = `${WEBHOOK}?bodySHA256=${"0".repeat(64)}`;
      const urlOnly = sign({}, `${PUBLIC_URL}${hashed}`);
      expect((await h.post(hashed, form, { signature: urlOnly })).status).toBe(403);
      expect(h.fake.requests).toEqual([]);
      expect(await h.store.loadFamily(family)).toBeNull();
    });

    it("a signed request with a query string is checked against it", async () => {
      const family = newNumber("US");
      const form = textForm(family, "hi");
      const path = `${WEBHOOK}?tenant=acme&v=2`;
      expect((await h.post(path, form, { url: `${PUBLIC_URL}${WEBHOOK}` })).status).toBe(403);
      expect((await h.post(path, form)).status).toBe(200);
      expect(h.bodies(family)).toHaveLength(2);
    });

    it("malformed forms get 400, and nothing is processed", async () => {
      const json = await h.app.request(WEBHOOK, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ Body: "hi" }),
      });
      expect(json.status).toBe(400);
      const family = newNumber("US");
      const { MessageSid: _, ...noSid } = textForm(family, "hi");
      const res = await h.post(WEBHOOK, noSid);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/MessageSid/);
      expect((await h.post(WEBHOOK, { ...textForm(family, "x"), Latitude: "north" })).status).toBe(
        400,
      );
      expect((await h.post(STATUS, { To: family })).status).toBe(400);
      expect(h.fake.requests).toEqual([]);
      expect(await h.store.loadFamily(family)).toBeNull();
    });

    it("a redelivered MessageSid is answered 200 and processed once", async () => {
      const family = newNumber("US");
      const form = textForm(family, "idea");
      expect((await h.post(WEBHOOK, form)).status).toBe(200);
      const once = h.fake.messages.length;
      expect(once).toBeGreaterThan(0);
      const again = await h.post(WEBHOOK, form);
      expect(again.status).toBe(200);
      expect(await again.text()).toBe(EMPTY_TWIML);
      expect(h.fake.messages).toHaveLength(once);
      expect((await h.store.loadFamily(family))?.profile.suggestions).toBe(1);
    });

    it("a 429 waits Retry-After and the message is delivered", async () => {
      const family = newNumber("US");
      h.fake.failNext({
        ...twilioError(429, 20429, "Too Many Requests"),
        headers: { "Retry-After": "1" },
      });
      const started = Date.now();
      expect((await h.say(family, "idea")).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(h.fake.requests.map((r) => r.status)).toEqual([429, 201]);
      expect(h.bodies(family)).toHaveLength(1);
      expect(h.bodies(family)[0]).toContain("You need:");
    });

    it("a Spanish speaker from a Mexican number is answered in Spanish from the first reply", async () => {
      const ana = newNumber("MX");
      await h.say(ana, "hola");
      expect(h.bodies(ana)[0]).toBe(t("onboarding.greeting", undefined, "es"));
      // A message in no particular language: the number's country decides.
      expect(realContent().speech.detect("👋")).toBeUndefined();
      const luis = newNumber("MX");
      const joe = newNumber("US");
      const bia = newNumber("BR");
      await h.say(luis, "👋");
      await h.say(joe, "👋");
      await h.say(bia, "👋");
      expect(h.bodies(luis)[0]).toBe(t("onboarding.greeting", undefined, "es"));
      expect(h.bodies(joe)[0]).toBe(t("onboarding.greeting"));
      expect(h.bodies(bia)[0]).toBe(t("onboarding.greeting"));
      expect(h.bodies(luis)[1]).toMatch(new RegExp(`^${t("language.question", undefined, "es")}`));
    });

    it("a 63024 from the REST API marks the family unreachable, without retrying", async () => {
      const family = newNumber("US");
      await h.say(family, "hi");
      h.fake.reset();
      h.fake.failNext(twilioError(400, 63024, "Invalid message recipient"));
      expect((await h.say(family, "idea")).status).toBe(200);
      expect(h.fake.requests.map((r) => r.status)).toEqual([400]);
      expect((await h.store.loadFamily(family))?.profile.unreachable).toBe(true);
    });

    it("status callbacks: 63024 marks the family unreachable, 63016 does not; onStatus sees each", async () => {
      const family = newNumber("US");
      const other = newNumber("US");
      await h.say(family, "hi");
      await h.say(other, "hi");
      const before = h.statuses.length;
      const undelivered = statusForm("undelivered", family);
      const res = await h.post(STATUS, undelivered);
      expect(res.status).toBe(200);
      expect((await h.store.loadFamily(family))?.profile.unreachable).toBe(true);
      await h.post(STATUS, statusForm("failed-63016", other));
      await h.post(STATUS, statusForm("delivered", other));
      expect((await h.store.loadFamily(other))?.profile.unreachable).toBeUndefined();
      expect(h.statuses.slice(before)).toEqual([
        { messageSid: undelivered.MessageSid, status: "undelivered", errorCode: 63024, to: family },
        { messageSid: undelivered.MessageSid, status: "failed", errorCode: 63016, to: other },
        { messageSid: undelivered.MessageSid, status: "delivered", to: other },
      ]);
      const forged = await h.post(STATUS, statusForm("undelivered", other), { signature: "x" });
      expect(forged.status).toBe(403);
      expect((await h.store.loadFamily(other))?.profile.unreachable).toBeUndefined();
      expect(h.statuses).toHaveLength(before + 3);
    });

    it("a photo gets the kind media answer; a shared location is understood", async () => {
      const family = newNumber("US");
      await h.post(WEBHOOK, inboundForm("inbound-media-image", family));
      expect(h.bodies(family)).toHaveLength(1);
      expect(h.bodies(family)[0]?.startsWith(`${t("idle.media")}\n\n1. `)).toBe(true);
      h.fake.reset();
      await h.post(WEBHOOK, inboundForm("inbound-location", family));
      expect(h.bodies(family)[0]?.startsWith(t("idle.location"))).toBe(true);
    });
  });
}

whatsappSuite("memory", () => createMemoryStore());
describeRedis("with Redis", () => {
  whatsappSuite("redis", () =>
    createRedisStore({
      url: REDIS_URL as string,
      prefix: `test-wa-${Date.now()}-${Math.random().toString(36).slice(2)}:`,
    }),
  );
});
