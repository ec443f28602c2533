/**
 * A conversation turn on the Worker (workerd, via `wrangler dev`) against the same on Node,
 * same machine, same fake Bot API and Redis: Telegram "idea" updates, unique update_ids.
 * Needs REDIS_URL (the Worker keeps state in Redis). wrangler dev adds its local proxy in front.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import autocannon from "autocannon";
import { FAKE_BOT_INFO, startFakeTelegram } from "../test/fakes/telegram-api.ts";
import { startWorker } from "../test/helpers/wrangler.ts";

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  console.log("(REDIS_URL unset: the Worker benchmark is not measured)");
  process.exit(0);
}
const SECRET = "bench-secret";
const fake = await startFakeTelegram({ token: "123456:WORKER" });
const env = {
  REDIS_URL,
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  TELEGRAM_API_ROOT: fake.url,
  TELEGRAM_BOT_INFO: JSON.stringify(FAKE_BOT_INFO),
};

let id = 1_000_000_000 + Math.floor(Math.random() * 1e8);
async function load(url: string) {
  const r = await autocannon({
    url: `${url}/webhooks/telegram`,
    connections: 8,
    duration: Number(process.env.BENCH_SECONDS ?? 6),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        setupRequest: (req) => {
          const chat = 300_000 + (id % 1000);
          const from = { id: chat, is_bot: false, first_name: "W" };
          return {
            ...req,
            body: JSON.stringify({
              update_id: id++,
              message: {
                message_id: id,
                date: 1,
                from,
                chat: { id: chat, type: "private" },
                text: "idea",
              },
            }),
          };
        },
      },
    ],
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.non2xx + r.errors,
  };
}

const port = 18_600;
const node: ChildProcess = spawn(process.execPath, [join(import.meta.dirname, "../src/node.ts")], {
  env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port) },
  stdio: ["ignore", "pipe", "inherit"],
});
await new Promise((r) => node.stdout?.once("data", r));
const onNode = await load(`http://127.0.0.1:${port}`);
node.kill();
const worker = await startWorker({ ...env, NODE_ENV: "production" });
const onWorker = await load(worker.url);
await worker.stop();
await fake.close();

const line = (name: string, r: typeof onNode) =>
  `${name.padEnd(30)} ${Math.round(r.rps).toString().padStart(5)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}`;
console.log("\nA conversation turn (Telegram webhook, Redis), 8 connections:");
console.log(line("Node (@hono/node-server)", onNode));
console.log(line("Worker (workerd, wrangler dev)", onWorker));
console.log(
  `ratio Worker/Node: throughput ${(onWorker.rps / onNode.rps).toFixed(2)}, p50 latency ${(onWorker.p50 / onNode.p50).toFixed(2)}`,
);
