/**
 * Shared plumbing for the fake platform APIs: a node:http server on 127.0.0.1, body parsing,
 * a call log with `waitFor`, and a queue of canned failures.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type Json = Record<string, unknown>;

/** An HTTP answer: a non-string body is sent as JSON. */
export interface FakeReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A running fake server. */
export interface FakeServer {
  /** e.g. `http://127.0.0.1:40123` */
  origin: string;
  /** Stops listening and drops keep-alive sockets (SDK agents keep them open). */
  close(): Promise<void>;
}

/** What a fake's handler gets for one request. */
export interface FakeRequest {
  req: IncomingMessage;
  url: URL;
  body: Buffer;
  /** Aborted when the client disconnects before the reply (e.g. a cancelled long poll). */
  gone: AbortSignal;
}

/** Serves `handle` on 127.0.0.1 (random port); a thrown error answers `onError(error)`. */
export async function listen(
  handle: (request: FakeRequest) => Promise<FakeReply>,
  onError: (error: Error) => FakeReply,
): Promise<FakeServer> {
  const server = createServer(async (req, res) => {
    const gone = new AbortController();
    res.on("close", () => gone.abort());
    let reply: FakeReply;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? "/", "http://localhost");
      reply = await handle({ req, url, body: Buffer.concat(chunks), gone: gone.signal });
    } catch (e) {
      reply = onError(e instanceof Error ? e : new Error(String(e)));
    }
    if (res.writableEnded || res.destroyed) return;
    const json = typeof reply.body !== "string";
    res.writeHead(reply.status, {
      "content-type": json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
      ...reply.headers,
    });
    res.end(json ? JSON.stringify(reply.body) : reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Parses a JSON, form-urlencoded or multipart body. Form values that look like JSON objects or
 * arrays (reply_markup, blocks, view, ...) are decoded, as the platforms do; uploaded files
 * become `{ filename, type, size }`.
 */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<Json> {
  if (raw.length === 0) return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw.toString("utf8")) as Json;
  const headers = { "content-type": contentType ?? "" };
  const form = await new Response(new Uint8Array(raw), { headers }).formData();
  const out: Json = {};
  for (const [key, value] of form) {
    out[key] =
      typeof value === "string"
        ? maybeJson(value)
        : { filename: value.name, type: value.type, size: value.size };
  }
  return out;
}

function maybeJson(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** An append-only log whose `waitFor` resolves when a past or future entry matches. */
export class CallLog<T> {
  readonly entries: T[] = [];
  readonly #waiters = new Set<{ predicate: (entry: T) => boolean; done: () => void }>();

  record(entry: T): void {
    this.entries.push(entry);
    for (const waiter of this.#waiters) if (waiter.predicate(entry)) waiter.done();
  }

  waitFor(predicate: (entry: T) => boolean, timeoutMs = 2000): Promise<void> {
    if (this.entries.some(predicate)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const n = this.entries.length;
        reject(new Error(`waitFor timed out after ${timeoutMs} ms (${n} calls recorded)`));
      }, timeoutMs);
      const waiter = {
        predicate,
        done: () => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve();
        },
      };
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    this.entries.length = 0;
  }
}

/** Canned replies per key (method name), each used `times` times, oldest first. */
export class FailureQueue {
  readonly #queue = new Map<string, Array<{ reply: FakeReply; times: number }>>();

  add(key: string, reply: FakeReply, times = 1): void {
    this.#queue.set(key, [...(this.#queue.get(key) ?? []), { reply, times }]);
  }

  /** The reply to use instead of the real handler, if one is queued for `key`. */
  take(key: string): FakeReply | undefined {
    const pending = this.#queue.get(key);
    const head = pending?.[0];
    if (!pending || !head) return undefined;
    if (--head.times <= 0) pending.shift();
    if (pending.length === 0) this.#queue.delete(key);
    return head.reply;
  }

  clear(): void {
    this.#queue.clear();
  }
}
