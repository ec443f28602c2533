import { type Logger, redact } from "../../core/pipeline.ts";
import { slackFamilyId } from "./parse.ts";

/** How long a person's Slack locale is remembered. */
export const LOCALE_TTL_MS = 60 * 60 * 1000;
/** How long a failed lookup is remembered (so a failing users.info is not called per message). */
export const LOCALE_FAILURE_TTL_MS = 5 * 60 * 1000;
/** Most people remembered at once; the oldest entry goes first. */
export const LOCALE_CACHE_SIZE = 5000;

/** The part of WebClient this file uses. */
export interface UsersInfoApi {
  users: {
    info(args: { user: string; include_locale: boolean }): Promise<{ user?: { locale?: string } }>;
  };
}

/** "es-ES" → "es"; undefined for anything that is not a language tag. */
export function languageOf(locale: string | undefined): string | undefined {
  const m = /^([a-z]{2,3})(?:[-_]|$)/i.exec(locale ?? "");
  return m ? (m[1] as string).toLowerCase() : undefined;
}

/**
 * The language Slack knows for a person (`users.info` with `include_locale`), remembered in
 * memory for an hour per person, at most `LOCALE_CACHE_SIZE` people. Concurrent lookups share
 * one call; a failure resolves to undefined (the core then goes by the words or the default).
 */
export function createLocaleLookup(opts: {
  client: UsersInfoApi;
  logger: Logger;
  now: () => number;
  ttlMs?: number;
  maxEntries?: number;
}) {
  const ttl = opts.ttlMs ?? LOCALE_TTL_MS;
  const max = opts.maxEntries ?? LOCALE_CACHE_SIZE;
  const cache = new Map<string, { until: number; value: Promise<string | undefined> }>();

  function remember(key: string, until: number, value: Promise<string | undefined>) {
    cache.delete(key);
    cache.set(key, { until, value });
    while (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  return {
    /** The person's language ("es"), or undefined when Slack does not say. */
    localeOf(team: string, user: string): Promise<string | undefined> {
      const key = `${team}:${user}`;
      const at = opts.now();
      const hit = cache.get(key);
      if (hit && hit.until > at) return hit.value;
      const value = opts.client.users.info({ user, include_locale: true }).then(
        (r) => languageOf(r.user?.locale),
        (err: unknown) => {
          opts.logger.error("slack users.info failed", {
            family: redact(slackFamilyId(team, user)),
            error: String((err as { code?: unknown })?.code ?? "unknown"),
          });
          remember(key, opts.now() + LOCALE_FAILURE_TTL_MS, Promise.resolve(undefined));
          return undefined;
        },
      );
      remember(key, at + ttl, value);
      return value;
    },
    /** People remembered now (for tests). */
    get size() {
      return cache.size;
    },
  };
}
