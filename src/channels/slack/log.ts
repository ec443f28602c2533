import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../core/pipeline.ts";

/**
 * A log line without secrets or people: Slack tokens (`xox…`) and ids of users, workspaces and
 * conversations (`U…`, `W…`, `T…`, `D…`, `C…`, `G…`, `B…`, `E…`) are masked.
 * @example scrub("user_not_found for U2147483697") // "user_not_found for U…"
 */
export function scrub(text: string): string {
  return text
    .replace(/\bxox[a-z]-[A-Za-z0-9-]+/g, "xox…")
    .replace(/\b([UWTDCGBE])[A-Z0-9]{8,}\b/g, "$1…");
}

/**
 * An error as a short, scrubbed line: a Web API error's code and Slack's word, else its name and
 * message; Bolt's wrapper (`slack_bolt_unknown_error`) is unwrapped to the error it carries.
 */
export function describeError(err: unknown): string {
  const e = err as { code?: unknown; data?: { error?: unknown }; original?: unknown } | null;
  if (typeof e?.code === "string") {
    if (e.original !== undefined) return `${e.code}: ${describeError(e.original)}`;
    return scrub(e.data?.error ? `${e.code}: ${String(e.data.error)}` : e.code);
  }
  if (err instanceof Error) return scrub(`${err.name}: ${err.message}`);
  return scrub(String(err));
}

/**
 * Bolt's and WebClient's logger, forwarding warnings and errors to ours, scrubbed; debug and
 * info (which may echo request bodies) are dropped.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.WARN;
  const line = (msg: unknown[]) =>
    scrub(msg.map((m) => (m instanceof Error ? describeError(m) : String(m))).join(" "));
  return {
    debug() {},
    info() {},
    warn: (...msg: unknown[]) => logger.info(`bolt: ${line(msg)}`),
    error: (...msg: unknown[]) => logger.error(`bolt: ${line(msg)}`),
    setLevel(l: LogLevel) {
      level = l;
    },
    getLevel: () => level,
    setName() {},
  };
}
