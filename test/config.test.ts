import { describe, expect, it } from "vitest";
import { ConfigError, enabledChannels, loadConfig } from "../src/config.ts";

describe("config", () => {
  it("runs on embedded defaults with an empty environment", () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8787);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.DEFAULT_LOCALE).toBe("en");
    expect(c.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(enabledChannels(c)).toEqual([]);
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL"],
    [{ DEFAULT_LOCALE: "xx" }, "DEFAULT_LOCALE"],
    [{ PUBLIC_URL: "not a url" }, "PUBLIC_URL"],
    [{ TWILIO_WHATSAPP_FROM: "+14155238886" }, "TWILIO_WHATSAPP_FROM"],
    [{ ADMIN_TOKEN: "short" }, "ADMIN_TOKEN"],
    [{ NODE_ENV: "production" }, "REDIS_URL"],
  ])("refuses %j naming %s and why", (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const [problem] = (err as ConfigError).problems;
      expect(problem?.startsWith(`${variable}: `)).toBe(true);
      expect(problem?.length).toBeGreaterThan(variable.length + 8);
    }
  });

  it("refuses the in-memory store in production, accepts Redis there", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(
      /REDIS_URL: is required when NODE_ENV=production/,
    );
    expect(
      loadConfig({ NODE_ENV: "production", REDIS_URL: "redis://127.0.0.1:6379" }).REDIS_URL,
    ).toBe("redis://127.0.0.1:6379");
  });

  it("reads WhatsApp template SIDs as one, or one per number of choices", () => {
    const sid = `HX${"a".repeat(32)}`;
    expect(loadConfig({ TWILIO_CONTENT_QUICK_REPLY: sid }).TWILIO_CONTENT_QUICK_REPLY).toBe(sid);
    expect(
      loadConfig({ TWILIO_CONTENT_LIST_PICKER: `2:${sid},3:${sid}` }).TWILIO_CONTENT_LIST_PICKER,
    ).toEqual({ 2: sid, 3: sid });
    expect(() => loadConfig({ TWILIO_CONTENT_QUICK_REPLY: "HX12" })).toThrow(
      /TWILIO_CONTENT_QUICK_REPLY/,
    );
  });

  it("reads the jobs' settings: send rates, key prefix, posters, templates", () => {
    const c = loadConfig({
      TELEGRAM_SEND_RATE: "25",
      REDIS_PREFIX: "school-a:",
      SLACK_POSTERS: "U0123ABC, U0456DEF",
      SLACK_POSTERS_CHANNEL: "C0789GHI",
      TWILIO_CONTENT_TIPS: "HX0123456789abcdef0123456789abcdef",
    });
    expect([c.TELEGRAM_SEND_RATE, c.WHATSAPP_SEND_RATE, c.SLACK_SEND_RATE]).toEqual([25, 10, 5]);
    expect(c.REDIS_PREFIX).toBe("school-a:");
    expect(c.SLACK_POSTERS).toEqual(["U0123ABC", "U0456DEF"]);
    expect(c.SLACK_POSTERS_CHANNEL).toBe("C0789GHI");
    expect(loadConfig({}).REDIS_PREFIX).toBe("sprout:");
    for (const [env, name] of [
      [{ TELEGRAM_SEND_RATE: "0" }, "TELEGRAM_SEND_RATE"],
      [{ REDIS_PREFIX: "no colon" }, "REDIS_PREFIX"],
      [{ SLACK_POSTERS: "alice" }, "SLACK_POSTERS"],
      [{ TWILIO_CONTENT_TIPS: "HX12" }, "TWILIO_CONTENT_TIPS"],
    ] as const)
      expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: `));
  });

  it("turns a channel on when its credentials are set", () => {
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: "123:abc",
      TELEGRAM_WEBHOOK_SECRET: "s3cret",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      TWILIO_ACCOUNT_SID: "AC1",
    });
    expect(enabledChannels(c)).toEqual(["telegram", "slack"]);
  });
});
