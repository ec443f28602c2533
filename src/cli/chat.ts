/**
 * `npm run chat`: talk to Sprout in the terminal (the console channel).
 * Reads lines from stdin, prints Sprout's messages with numbered choices, exits at end of input.
 * `--lang xx` picks the language, `--reset` forgets the terminal family (kept in Redis when REDIS_URL is set),
 * `--as NAME` talks as another terminal family.
 */

import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { renderForConsole } from "../channels/console/render.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { buildContent } from "../content.ts";
import { readContentFiles } from "../content-files.ts";
import { createPipeline } from "../core/pipeline.ts";
import { newProfile } from "../core/types.ts";
import { openStore } from "../store/open.ts";
import { parseArgs } from "./args.ts";

async function main() {
  const { flags, values } = parseArgs(process.argv.slice(2));
  const config = loadConfig(process.env);
  const content = buildContent(readContentFiles(), config.DEFAULT_LOCALE);
  const store = openStore(config);
  const pipeline = createPipeline({ store, content });
  const familyId = `console:${values.get("as") ?? userInfo().username}`;
  const lang = values.get("lang");
  if (lang !== undefined && !content.speech.locales.includes(lang)) {
    console.error(`Unknown language "${lang}". Try one of: ${content.speech.locales.join(", ")}`);
    process.exitCode = 2;
    await store.close();
    return;
  }
  if (flags.has("reset")) await store.deleteFamily(familyId);
  if (lang) {
    const state = (await store.loadFamily(familyId)) ?? { profile: newProfile(), session: null };
    state.profile.locale = lang;
    await store.saveFamily(familyId, state, { sessionTtlSeconds: 86400 });
  }
  const tty = process.stdin.isTTY;
  if (tty) console.log("(Type a message and press Enter. Ctrl-D to leave.)\n");
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    if (!tty) console.log(`> ${line}`);
    const out = await pipeline.handle({ familyId, event: { kind: "text", text: line } });
    for (const message of out ?? []) console.log(`${renderForConsole(message)}\n`);
  }
  await store.close();
}

main().catch((err) => {
  console.error(
    err instanceof ConfigError ? err.message : `Sprout could not start: ${(err as Error).message}`,
  );
  process.exitCode = 1;
});
