/**
 * A `twilio` HTTP client that sends every REST call to another origin, keeping path and query.
 * This implements the `TWILIO_API_BASE` contract: pass it as the `httpClient` client option.
 *
 * ```ts
 * const client = twilio(sid, token, { httpClient: createOriginRewritingHttpClient(apiBase) });
 * ```
 */
import { AsyncLocalStorage } from "node:async_hooks";
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient.js";

/** Options of twilio's own `RequestClient` (timeout, keepAlive, autoRetry, maxRetries, ...). */
export type RequestClientOptions = RequestClient.RequestClientOptions;

/** What the last HTTP answer inside {@link observeResponse} was (status and headers). */
export interface ObservedResponse {
  status?: number;
  headers?: Record<string, unknown>;
}

const observed = new AsyncLocalStorage<ObservedResponse>();

/**
 * Runs `task` and records into `into` the last HTTP answer any origin-rewriting client received
 * within it. twilio's `RestException` drops the headers; this keeps e.g. a 429's `Retry-After`
 * for this very call, even when other calls run at the same time.
 * @example const seen = {}; await observeResponse(seen, () => client.messages.create(p)).catch(…)
 */
export function observeResponse<T>(into: ObservedResponse, task: () => Promise<T>): Promise<T> {
  return observed.run(into, task);
}

/**
 * twilio's `RequestClient` with `request()` overridden to swap the origin of `opts.uri`
 * (`https://api.twilio.com`, `https://content.twilio.com`, an edge/region host, ...) for `origin`.
 * Auth, headers, form encoding, timeouts and `autoRetry` stay twilio's own.
 */
export class OriginRewritingRequestClient extends twilio.RequestClient {
  readonly #base: URL;

  /**
   * @param origin e.g. `http://127.0.0.1:4010`; a path on it (`http://proxy/twilio`) becomes a prefix.
   * @param options twilio `RequestClient` options. When you pass `httpClient` to `twilio()`, its own
   *   `timeout`/`autoRetry`/`maxRetries`/... options are ignored, so give them here instead.
   */
  constructor(origin: string, options?: RequestClientOptions) {
    super(options);
    const base = new URL(origin);
    if (base.protocol !== "http:" && base.protocol !== "https:") {
      throw new Error(`Twilio API base must be an http(s) URL, got "${origin}"`);
    }
    if (base.search || base.hash) {
      throw new Error(`Twilio API base must not have a query or fragment, got "${origin}"`);
    }
    this.#base = base;
  }

  /** Maps `https://api.twilio.com/2010-04-01/...?x=1` onto the configured origin. */
  rewrite(uri: string): string {
    const source = new URL(uri);
    const target = new URL(this.#base.href);
    target.pathname = target.pathname.replace(/\/+$/, "") + source.pathname;
    target.search = source.search;
    return target.href;
  }

  /** Same as twilio's `request()`, with `opts.uri` moved onto the configured origin. */
  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const response = await super.request({ ...opts, uri: this.rewrite(opts.uri) });
    const into = observed.getStore();
    if (into) {
      into.status = response.statusCode;
      into.headers = response.headers as Record<string, unknown>;
    }
    return response;
  }
}

/**
 * Builds the `httpClient` for `twilio(accountSid, authToken, { httpClient })` that sends every
 * Twilio REST call to `origin` instead of `*.twilio.com`, with the same paths.
 */
export function createOriginRewritingHttpClient(
  origin: string,
  options?: RequestClientOptions,
): OriginRewritingRequestClient {
  return new OriginRewritingRequestClient(origin, options);
}
