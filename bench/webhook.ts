/**
 * The webhook benchmark: Telegram updates (unique update_ids, many chats) through the whole
 * pipeline — guard, dedupe, session, flow, recommender, send to a local fake Bot API — with the
 * memory store and with Redis, beside two baselines on the same machine and load generator:
 * bare Hono answering 200 (the ceiling) and a minimal grammY bot on Hono (the framework floor).
 * Each server runs in its own process; the load generator and the fake Bot API share this one.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import autocannon from "autocannon";
import { FAKE_BOT_INFO, startFakeTelegram } from "../test/fakes/telegram-api.ts";

const ROOT = join(import.meta.dirname, "..");
const SECRET = "bench-secret";
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 32;
const CHATS = 2000;

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  sent: number;
}

function startServer(
  script: string,
  env: Record<string, string>,
  port: number,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, script)], {
      env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 15_000);
    child.stdout?.on("data", (d: Buffer) => {
      if (/ready|listening/i.test(d.toString())) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Fresh per run: update ids are remembered (dedupe) in Redis across runs. */
let updateId = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
function update(): string {
  const chat = 100_000 + (updateId % CHATS);
  const from = { id: chat, is_bot: false, first_name: "B", language_code: "en" };
  return JSON.stringify({
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: 1767225600,
      from,
      chat: { id: chat, type: "private", first_name: "B" },
      text: "idea",
    },
  });
}

async function load(name: string, port: number, sentNow: () => number): Promise<Result> {
  const before = sentNow();
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/webhooks/telegram`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        setupRequest: (req) => ({ ...req, body: update() }),
      },
    ],
  });
  await new Promise((res) => setTimeout(res, 300));
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok: r["2xx"],
    errors: r.non2xx + r.errors + r.timeouts,
    sent: sentNow() - before,
  };
}

const fake = await startFakeTelegram({ token: "123456:BENCH" });
let sentCount = 0;
const sentNow = () => {
  sentCount += fake.sent().length;
  fake.reset();
  return sentCount;
};
const common = {
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_API_ROOT: fake.url,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
};
const scenarios: Array<{ name: string; script: string; env: Record<string, string> }> = [
  { name: "bare Hono (ceiling)", script: "bench/servers/bare-hono.ts", env: {} },
  {
    name: "minimal grammY bot (floor)",
    script: "bench/servers/grammy-minimal.ts",
    env: { ...common, BOT_INFO: JSON.stringify(FAKE_BOT_INFO) },
  },
  {
    name: "grammY bot, activity-size reply",
    script: "bench/servers/grammy-minimal.ts",
    env: { ...common, BOT_INFO: JSON.stringify(FAKE_BOT_INFO), BIG_REPLY: "1" },
  },
  { name: "Sprout, memory store", script: "src/node.ts", env: common },
];
if (process.env.REDIS_URL)
  scenarios.push({
    name: "Sprout, Redis store",
    script: "src/node.ts",
    env: { ...common, REDIS_URL: process.env.REDIS_URL },
  });
else console.log("(REDIS_URL unset: the Redis scenario is not measured)");

const results: Result[] = [];
let port = 18_800;
for (const s of scenarios) {
  const server = await startServer(s.script, s.env, ++port);
  results.push(await load(s.name, port, sentNow));
  server.kill();
}
await fake.close();

const floor = results[1] as Result;
const ceiling = results[0] as Result;
console.log(
  `\nWebhook benchmark: ${DURATION} s each, ${CONNECTIONS} connections, ${CHATS} chats, unique update_ids`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(28)} ${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ` +
      `2xx ${r.ok}  errors ${r.errors}  sendMessage ${r.sent}  | vs floor ${(r.rps / floor.rps).toFixed(2)}  vs ceiling ${(r.rps / ceiling.rps).toFixed(2)}`,
  );
}
