import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeRedis, REDIS_URL } from "../helpers/redis.ts";

const CHAT = join(import.meta.dirname, "../../src/cli/chat.ts");

/** Runs `npm run chat`'s program with lines piped in, as a parent would in a terminal. */
function chat(input: string, args: string[] = [], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [CHAT, ...args],
      { env: { PATH: process.env.PATH, ...env }, timeout: 15_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe("npm run chat", () => {
  it("answers piped lines with numbered choices and exits at end of input", async () => {
    const r = await chat("hi\n1\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Hi, I'm Sprout");
    expect(r.stdout).toMatch(/ {2}1\. English\n {2}2\. Español/);
    expect(r.stdout).toContain("Is that OK?");
    expect(r.stderr).toBe("");
  });

  it("--lang es speaks Spanish and skips the language question", async () => {
    const r = await chat("hola\n", ["--lang", "es"]);
    expect(r.stdout).toContain("¡Hola! Soy Sprout");
    expect(r.stdout).not.toContain("¿En qué idioma");
    expect(r.stdout).toContain("¿Te parece bien?");
  });

  it("an unknown --lang is refused with the languages there are", async () => {
    const r = await chat("hi\n", ["--lang", "xx"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("en, es");
  });

  it("a bad environment stops it with the variable named", async () => {
    const r = await chat("hi\n", [], { REDIS_URL: "nonsense" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("REDIS_URL: must start with redis://");
  });
});

describeRedis("npm run chat with REDIS_URL", () => {
  it("remembers the terminal family between runs; --reset starts over", async () => {
    const as = `test-${Math.random().toString(36).slice(2)}`;
    const env = { REDIS_URL };
    await chat("hi\n1\nyes\n5\ndone\ndone\n", ["--as", as, "--reset"], env);
    const again = await chat("hi\n", ["--as", as], env);
    expect(again.stdout).toContain("Welcome back!");
    const reset = await chat("hi\n", ["--as", as, "--reset"], env);
    expect(reset.stdout).toContain("Which language shall we use?");
    await chat("delete\nyes\n", ["--as", as], env);
  });
});
