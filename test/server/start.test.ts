import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textUpdate } from "../channels/telegram/updates.ts";
import { type FakeTelegram, startFakeTelegram } from "../fakes/telegram-api.ts";

const NODE_ENTRY = join(import.meta.dirname, "../../src/node.ts");

/** Starts `npm start`'s program with an environment; resolves once it logs that it listens. */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; log: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NODE_ENTRY], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    const log: string[] = [];
    const timer = setTimeout(() => reject(new Error(`did not start: ${log.join("")}`)), 15_000);
    child.stdout.on("data", (d: Buffer) => {
      log.push(d.toString());
      if (d.toString().includes("Sprout is listening")) {
        clearTimeout(timer);
        resolve({ child, log });
      }
    });
    child.stderr.on("data", (d: Buffer) => log.push(d.toString()));
    child.on("exit", () => {
      clearTimeout(timer);
      reject(new Error(`exited: ${log.join("")}`));
    });
  });
}

describe("npm start", () => {
  let fake: FakeTelegram;
  const running: ChildProcess[] = [];
  beforeAll(async () => {
    fake = await startFakeTelegram();
  });
  afterAll(async () => {
    for (const c of running) c.kill();
    await fake.close();
  });

  it("serves Telegram webhooks with the channel's credentials, logging which channels are on", async () => {
    const port = 18_700 + Math.floor(Math.random() * 200);
    const { child, log } = await start({
      PORT: String(port),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_WEBHOOK_SECRET: "start-secret",
      TELEGRAM_API_ROOT: fake.url,
    });
    running.push(child);
    expect(log.join("")).toMatch(/"channels":"telegram \(webhook\)"/);
    expect(log.join("")).not.toContain(fake.token);
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/telegram`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": "start-secret",
      },
      body: JSON.stringify(textUpdate({ id: 4242 }, "idea")),
    });
    expect(res.status).toBe(200);
    expect(fake.sent(4242)).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method === "getMe")).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  });

  it("TELEGRAM_MODE=polling answers updates by long polling, without a public URL", async () => {
    fake.reset();
    const { child } = await start({
      PORT: String(18_900 + Math.floor(Math.random() * 90)),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_MODE: "polling",
      TELEGRAM_API_ROOT: fake.url,
    });
    running.push(child);
    fake.queueUpdate(textUpdate({ id: 4343 }, "help"));
    await fake.waitFor((c) => c.method === "sendMessage", 8000);
    expect(fake.sent(4343)[0]?.text).toContain("idea");
  });

  it("a bad environment stops start-up naming the variable", async () => {
    await expect(start({ PORT: "0x" })).rejects.toThrow(/PORT: must be a port number/);
    await expect(start({ TELEGRAM_BOT_TOKEN: "1:x" })).rejects.toThrow(
      /TELEGRAM_WEBHOOK_SECRET: is required/,
    );
  });
});
