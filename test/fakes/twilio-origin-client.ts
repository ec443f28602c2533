/**
 * A `twilio` HTTP client that sends every REST call to another origin, keeping path and query.
 * This implements the `TWILIO_API_BASE` contract: pass it as the `httpClient` client option.
 *
 * ```ts
 * const base = process.env.TWILIO_API_BASE;
 * const client = twilio(sid, token, base ? { httpClient: createOriginRewritingHttpClient(base) } : {});
 * ```
 */
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient.js";

/** Options of twilio's own `RequestClient` (timeout, keepAlive, autoRetry, maxRetries, ...). */
export type RequestClientOptions = RequestClient.RequestClientOptions;

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
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: this.rewrite(opts.uri) });
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
