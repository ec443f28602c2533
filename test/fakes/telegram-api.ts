/**
 * A fake Telegram Bot API for end-to-end tests.
 * Point grammY at it with `new Bot(fake.token, { client: { apiRoot: fake.url } })`.
 */
import { CallLog, FailureQueue, type Json, listen, parseBody } from "./http-fake.ts";

/** One Bot API request the fake received, with the HTTP status it answered. */
export interface TelegramCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  status: number;
}

/** A successful `sendMessage`, as `sent()` lists it. */
export interface SentTelegramMessage {
  chat_id: unknown;
  text: string;
  reply_markup?: unknown;
}

/** A canned HTTP answer for `failNext`, e.g. the body of fixtures/telegram/error-429-flood.json. */
export interface TelegramFailure {
  status: number;
  body: unknown;
}

/** Handle on a running fake Telegram Bot API. */
export interface FakeTelegram {
  /** Origin such as `http://127.0.0.1:PORT`: grammY `apiRoot` / `TELEGRAM_API_ROOT`. */
  url: string;
  /** The token the fake accepts; any other answers 401. */
  token: string;
  /** Every request in arrival order, failed ones included. */
  calls: TelegramCall[];
  /** Successful `sendMessage` calls, optionally only those to one chat. */
  sent(chatId?: number | string): SentTelegramMessage[];
  /** Answer the next `times` calls of `method` with `response` instead of handling them. */
  failNext(method: string, response: TelegramFailure, times?: number): void;
  /** Queue an update for `getUpdates`; update_id is renumbered unless above the last one. */
  queueUpdate(update: Record<string, unknown>): void;
  /** Resolves once a recorded call (past or future) matches; rejects after `timeoutMs` (2000). */
  waitFor(predicate: (call: TelegramCall) => boolean, timeoutMs?: number): Promise<void>;
  /** Forget calls, queued updates, failures, messages and the webhook. */
  reset(): void;
  close(): Promise<void>;
}

/** Options for {@link startFakeTelegram}. */
export interface FakeTelegramOptions {
  token?: string;
  /** Upper bound on how long a `getUpdates` long poll is held open (default 1000 ms). */
  maxPollMs?: number;
}

/** The bot, as in fixtures/telegram/getMe-response.json. */
export const FAKE_BOT_INFO = {
  id: 7000000001,
  is_bot: true,
  first_name: "Tips Bot",
  username: "tips_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as const;

const DEFAULT_TOKEN = "7000000001:AAFakeTokenForTests_abcdefghijklmnop";
const FIRST_MESSAGE_ID = 1372;
const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const WEBHOOK_ACTIVE =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

type Reply = { status: number; body: unknown };
const ok = (result: unknown): Reply => ({ status: 200, body: { ok: true, result } });
const err = (code: number, description: string): Reply => ({
  status: code,
  body: { ok: false, error_code: code, description },
});
const now = () => Math.floor(Date.now() / 1000);
const bot = {
  id: FAKE_BOT_INFO.id,
  is_bot: true,
  first_name: "Tips Bot",
  username: "tips_test_bot",
};

function chatOf(chatId: unknown): Json {
  const n = Number(chatId);
  const type = n > 0 ? "private" : String(chatId).startsWith("-100") ? "supergroup" : "group";
  return { id: Number.isSafeInteger(n) ? n : chatId, type };
}

/** Telegram echoes only inline keyboards back in Message.reply_markup. */
const inlineMarkup = (markup: unknown) =>
  markup && typeof markup === "object" && "inline_keyboard" in markup
    ? { reply_markup: markup }
    : {};

/** Starts a fake Bot API serving `/bot<token>/<method>` on 127.0.0.1 (random port). */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = opts.token ?? DEFAULT_TOKEN;
  const maxPollMs = opts.maxPollMs ?? 1000;
  const log = new CallLog<TelegramCall>();
  const failures = new FailureQueue();
  const pollers = new Set<() => void>();
  const messages = new Map<string, Json>();
  let updates: Json[] = [];
  let lastUpdateId = 0;
  let nextMessageId = FIRST_MESSAGE_ID;
  let webhookUrl = "";
  let epoch = 0;
  const wakePollers = () => {
    for (const wake of [...pollers]) wake();
  };

  /** Edits a message the fake sent (or, leniently, one it never saw, e.g. from a fixture). */
  function edit(p: Json, patch: Json): Reply {
    if (p.inline_message_id !== undefined) return ok(true);
    const key = `${p.chat_id}:${p.message_id}`;
    const known = messages.get(key);
    const old = known ?? { message_id: Number(p.message_id), from: bot, chat: chatOf(p.chat_id) };
    const next: Json = { date: now(), ...old, ...patch, edit_date: now() };
    if (next.reply_markup === undefined) delete next.reply_markup;
    const same = (k: string) => JSON.stringify(next[k]) === JSON.stringify(old[k]);
    if (known && same("text") && same("reply_markup")) return err(400, NOT_MODIFIED);
    messages.set(key, next);
    return ok(next);
  }

  async function getUpdates(p: Json, gone: AbortSignal): Promise<Reply> {
    if (webhookUrl) return err(409, WEBHOOK_ACTIVE);
    const offset = Number(p.offset ?? 0);
    if (offset > 0) updates = updates.filter((u) => Number(u.update_id) >= offset);
    const waitMs = Math.min(Number(p.timeout ?? 0) * 1000, maxPollMs);
    if (updates.length === 0 && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          pollers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, waitMs);
        pollers.add(wake);
        gone.addEventListener("abort", wake, { once: true });
      });
    }
    return ok(updates.slice(0, Number(p.limit ?? 100)));
  }

  /** Handlers by lower-cased method name (the Bot API ignores case). */
  const handlers: Record<string, (p: Json, gone: AbortSignal) => Reply | Promise<Reply>> = {
    getme: () => ok(FAKE_BOT_INFO),
    sendmessage: (p) => {
      const text = typeof p.text === "string" ? p.text : "";
      if (p.chat_id === undefined || p.chat_id === "")
        return err(400, "Bad Request: chat_id is empty");
      if (text.trim() === "") return err(400, "Bad Request: message text is empty");
      if (text.length > 4096) return err(400, "Bad Request: message is too long");
      const message_id = nextMessageId++;
      const message = { message_id, from: bot, chat: chatOf(p.chat_id), date: now(), text };
      messages.set(`${p.chat_id}:${message_id}`, { ...message, ...inlineMarkup(p.reply_markup) });
      return ok(messages.get(`${p.chat_id}:${message_id}`));
    },
    editmessagetext: (p) =>
      edit(p, { text: p.text, reply_markup: inlineMarkup(p.reply_markup).reply_markup }),
    editmessagereplymarkup: (p) =>
      edit(p, { reply_markup: inlineMarkup(p.reply_markup).reply_markup }),
    answercallbackquery: () => ok(true),
    sendchataction: () => ok(true),
    setmycommands: () => ok(true),
    setwebhook: (p) => {
      webhookUrl = String(p.url ?? "");
      wakePollers();
      return ok(true);
    },
    deletewebhook: (p) => {
      webhookUrl = "";
      if (p.drop_pending_updates === true || p.drop_pending_updates === "true") updates = [];
      return ok(true);
    },
    getwebhookinfo: () =>
      ok({ url: webhookUrl, has_custom_certificate: false, pending_update_count: updates.length }),
    getupdates: getUpdates,
  };

  const server = await listen(
    async ({ req, url, body, gone }) => {
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
      if (!match) return err(404, "Not Found");
      const [, gotToken = "", method = ""] = match;
      const at = Date.now();
      const started = epoch;
      const params = {
        ...Object.fromEntries(url.searchParams),
        ...(await parseBody(req.headers["content-type"], body)),
      };
      const key = method.toLowerCase();
      const reply =
        decodeURIComponent(gotToken) !== token
          ? err(401, "Unauthorized")
          : (failures.take(key) ??
            (await handlers[key]?.(params, gone)) ??
            err(404, "Not Found: method not found"));
      // A call still in flight across reset() (e.g. a long poll) is not logged after it.
      if (started === epoch) log.record({ method, params, at, status: reply.status });
      return reply;
    },
    (e) => err(400, `Bad Request: ${e.message}`),
  );

  return {
    url: server.origin,
    token,
    calls: log.entries,
    sent: (chatId) =>
      log.entries
        .filter((c) => c.method.toLowerCase() === "sendmessage" && c.status === 200)
        .filter((c) => chatId === undefined || String(c.params.chat_id) === String(chatId))
        .map(({ params: p }) => ({
          chat_id: p.chat_id,
          text: String(p.text),
          ...(p.reply_markup === undefined ? {} : { reply_markup: p.reply_markup }),
        })),
    failNext: (method, response, times = 1) => failures.add(method.toLowerCase(), response, times),
    queueUpdate: (update) => {
      const id = Number(update.update_id);
      lastUpdateId = Number.isSafeInteger(id) && id > lastUpdateId ? id : lastUpdateId + 1;
      updates.push({ ...update, update_id: lastUpdateId });
      wakePollers();
    },
    waitFor: (predicate, timeoutMs) => log.waitFor(predicate, timeoutMs),
    reset: () => {
      epoch++;
      wakePollers();
      log.clear();
      failures.clear();
      messages.clear();
      updates = [];
      nextMessageId = FIRST_MESSAGE_ID;
      webhookUrl = "";
    },
    close: async () => {
      wakePollers(); // let held long polls answer [] before the sockets go
      await new Promise((resolve) => setImmediate(resolve));
      await server.close();
    },
  };
}
