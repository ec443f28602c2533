import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { opportunityRoutes } from "./api/opportunities.ts";
import type { Logger } from "./core/pipeline.ts";
import { silentLogger } from "./core/pipeline.ts";
import { AppError } from "./errors.ts";
import type { Places } from "./opportunities/places.ts";
import { placesFrom } from "./opportunities/places.ts";
import type { Store } from "./store/store.ts";

/** Largest request body accepted (413 above). */
export const MAX_BODY_BYTES = 64 * 1024;

/** A route the app mounts for a channel (webhooks), added by the entry that wires channels. */
export interface Mount {
  method: "POST" | "GET";
  path: string;
  handler: (c: import("hono").Context) => Response | Promise<Response>;
}

export interface AppDeps {
  store: Store;
  adminToken?: string;
  logger?: Logger;
  mounts?: readonly Mount[];
  /** Named places, so the API accepts `place: { "name": "Central Library" }`. */
  places?: Places;
  /** Extra routes under /api (behind the bearer token), e.g. broadcasts. */
  api?: readonly Hono[];
  now?: () => Date;
}

const json = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/**
 * The HTTP app, runtime-neutral: health, readiness, the channels' webhooks and the API,
 * with one place that turns errors into answers.
 * @example const res = await createApp({ store }).request("/healthz")
 */
export function createApp(deps: AppDeps): Hono {
  const logger = deps.logger ?? silentLogger;
  const app = new Hono();
  const paths = new Map<string, Set<string>>();
  const route = (method: string, path: string) => {
    const set = paths.get(path) ?? new Set<string>();
    set.add(method);
    paths.set(path, set);
  };

  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => json(413, "too_large", `The body is over ${MAX_BODY_BYTES / 1024} KiB`),
  });
  app.use("*", async (c, next) => {
    // Decide from Content-Length when there is one: touching the body stream here would
    // cost every request a copy (the Node adapter builds the Request lazily).
    const length = c.req.header("content-length");
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (length !== undefined && !c.req.header("transfer-encoding"))
      return Number(length) > MAX_BODY_BYTES ? limit(c, next) : next();
    return limit(c, next);
  });

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  route("GET", "/healthz");
  app.get("/readyz", async (c) => {
    const ok = await deps.store.ping().catch(() => false);
    return ok ? c.json({ status: "ready" }) : c.json({ status: "store unavailable" }, 503);
  });
  route("GET", "/readyz");

  for (const m of deps.mounts ?? []) {
    app.on(m.method, m.path, m.handler);
    route(m.method, m.path);
  }

  app.use("/api/*", async (c, next) => {
    if (!deps.adminToken) throw new AppError(503, "api_disabled", "Set ADMIN_TOKEN to use the API");
    return bearerAuth({
      token: deps.adminToken,
      noAuthenticationHeader: {
        message: { error: { code: "unauthorized", message: "Bearer token required" } },
      },
      invalidToken: { message: { error: { code: "unauthorized", message: "Invalid token" } } },
      invalidAuthenticationHeader: {
        message: { error: { code: "unauthorized", message: "Bearer token required" } },
      },
    })(c, next);
  });

  app.route(
    "/api",
    opportunityRoutes({
      opportunities: deps.store.opportunities,
      places: deps.places ?? placesFrom([]),
      now: deps.now,
    }),
  );
  for (const extra of deps.api ?? []) app.route("/api", extra);

  app.notFound((c) => {
    const allowed = paths.get(c.req.path);
    if (allowed) {
      return new Response(
        JSON.stringify({
          error: { code: "method_not_allowed", message: `Use ${[...allowed].join(", ")}` },
        }),
        {
          status: 405,
          headers: { "content-type": "application/json", allow: [...allowed].join(", ") },
        },
      );
    }
    return json(404, "not_found", "No such route");
  });

  app.onError((err, c) => {
    if (err instanceof AppError) return json(err.status, err.code, err.message);
    if (err instanceof Error && "getResponse" in err && typeof err.getResponse === "function")
      return (err as { getResponse(): Response }).getResponse();
    logger.error("request failed", { path: c.req.path, error: String(err) });
    return json(500, "internal", "Something went wrong");
  });

  return app;
}
