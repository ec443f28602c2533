import { Hono } from "hono";
import { z } from "zod";
import type { Broadcasts } from "../broadcasts/broadcasts.ts";
import { MODES } from "../core/types.ts";
import { AppError } from "../errors.ts";
import { describeIssues } from "../opportunities/schema.ts";
import { API_ACTOR, methodNotAllowed } from "./opportunities.ts";

/** `POST /api/broadcasts`: who to tell about an opportunity (DESIGN.md). */
export const broadcastInput = z.strictObject({
  opportunityId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an opportunity id"),
  radiusKm: z.number().min(0.1, "must be at least 0.1").max(100, "must be at most 100").default(5),
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}$/, "must be a language code like es"))
    .optional(),
  channels: z.array(z.enum(["telegram", "whatsapp", "slack"])).optional(),
  interests: z.array(z.enum(MODES)).optional(),
  dryRun: z.boolean().optional(),
});

/**
 * The community API for broadcasts, to mount under `/api` (behind the bearer guard):
 * `POST /broadcasts` → 202 `{ id, reach }` (or 200 `{ reach }` with `dryRun`),
 * `GET /broadcasts/:id` → `{ status, reach, counts }`.
 * @example app.route("/api", broadcastRoutes(broadcasts))
 */
export function broadcastRoutes(broadcasts: Broadcasts): Hono {
  const app = new Hono();
  app.post("/broadcasts", async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new AppError(400, "bad_json", "The body is not valid JSON");
    }
    const parsed = broadcastInput.safeParse(body);
    if (!parsed.success) throw new AppError(400, "invalid", describeIssues(parsed.error));
    try {
      const r = await broadcasts.start(parsed.data, API_ACTOR);
      return parsed.data.dryRun ? c.json({ reach: r.reach }) : c.json(r, 202);
    } catch (err) {
      const code = (err as Error).message;
      if (code === "not_found")
        throw new AppError(404, "not_found", "opportunityId: no such opportunity");
      if (code === "expired") throw new AppError(409, "expired", "opportunityId: it is over");
      throw err;
    }
  });
  app.get("/broadcasts/:id", async (c) => {
    const s = await broadcasts.status(c.req.param("id"));
    if (!s) throw new AppError(404, "not_found", "No such broadcast");
    return c.json(s);
  });
  app.all("/broadcasts", () => methodNotAllowed("POST"));
  app.all("/broadcasts/:id", () => methodNotAllowed("GET"));
  return app;
}
