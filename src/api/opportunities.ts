import { type Context, Hono } from "hono";
import { ZodError, z } from "zod";
import { AppError } from "../errors.ts";
import { nextOccurrence, type Occurrence } from "../opportunities/occurrence.ts";
import type { Places } from "../opportunities/places.ts";
import {
  describeIssues,
  type Opportunity,
  opportunityInput,
  opportunityPatch,
} from "../opportunities/schema.ts";
import type { OpportunityStore } from "../opportunities/store.ts";

/** Who the audit trail names for changes made through the API. */
export const API_ACTOR = "api";

export interface OpportunityRoutesDeps {
  opportunities: OpportunityStore;
  places: Places;
  now?: () => Date;
}

const invalid = (message: string) => new AppError(400, "invalid", message);
const notFound = () => new AppError(404, "not_found", "No such opportunity");
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The body as a JSON object, or a 400 (`bad_json` when it does not parse). */
async function readObject(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new AppError(400, "bad_json", "The body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw invalid("body: must be a JSON object");
  return body as Record<string, unknown>;
}

/**
 * `place: { "name": "Central Library" }` alone: fills in a known place's coordinates (and its
 * canonical name); a name no one knows is a 400 naming `place.name`.
 */
function resolvePlace(body: Record<string, unknown>, places: Places): Record<string, unknown> {
  const place = body.place;
  if (typeof place !== "object" || place === null || Array.isArray(place)) return body;
  const p = place as Record<string, unknown>;
  if (p.lat !== undefined || p.lng !== undefined || typeof p.name !== "string") return body;
  const known = places.find(p.name);
  if (!known)
    throw invalid(
      `place.name: no known place called "${p.name.slice(0, 80)}"; give "lat" and "lng" too`,
    );
  return { ...body, place: { ...p, name: known.name, lat: known.lat, lng: known.lng } };
}

const number = (what: string, min: number, max: number) =>
  z.coerce
    .number({ error: `must be ${what}` })
    .refine(Number.isFinite, `must be ${what}`)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const listQuery = z
  .strictObject({
    lat: number("a number", -90, 90).optional(),
    lng: number("a number", -180, 180).optional(),
    radiusKm: number("a number", 0.1, 200).optional(),
    limit: number("a whole number", 1, 100)
      .refine(Number.isInteger, "must be a whole number")
      .optional(),
  })
  .refine(
    (q) =>
      [q.lat, q.lng, q.radiusKm].every((v) => v === undefined) ||
      [q.lat, q.lng, q.radiusKm].every((v) => v !== undefined),
    { message: "give lat, lng and radiusKm together", path: ["lat"] },
  );

const iso = (n: Occurrence) => ({
  startsAt: n.startsAt.toISOString(),
  endsAt: n.endsAt.toISOString(),
});

export const methodNotAllowed = (allow: string) =>
  new Response(JSON.stringify({ error: { code: "method_not_allowed", message: `Use ${allow}` } }), {
    status: 405,
    headers: { "content-type": "application/json", allow },
  });

/**
 * The community API for opportunities, to mount under `/api` (behind the bearer guard):
 * `POST /opportunities`, `GET /opportunities` (upcoming; `?lat=&lng=&radiusKm=` to keep those
 * near), `GET|PATCH|DELETE /opportunities/:id`. Errors are thrown as `AppError`s for the app's
 * error handler; invalid fields answer 400 `invalid` naming each field.
 * @example app.route("/api", opportunityRoutes({ opportunities, places }))
 */
export function opportunityRoutes(deps: OpportunityRoutesDeps): Hono {
  const { opportunities, places } = deps;
  const now = deps.now ?? (() => new Date());
  const app = new Hono();

  const withNext = (o: Opportunity) => {
    const next = nextOccurrence(o, now());
    return { ...o, next: next ? iso(next) : null };
  };

  app.post("/opportunities", async (c) => {
    const body = resolvePlace(await readObject(c), places);
    const parsed = opportunityInput.safeParse(body);
    if (!parsed.success) throw invalid(describeIssues(parsed.error));
    const o = await opportunities.create(parsed.data, API_ACTOR);
    return c.json({ id: o.id }, 201);
  });

  app.get("/opportunities", async (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) throw invalid(describeIssues(parsed.error));
    const q = parsed.data;
    const at = now();
    if (q.lat !== undefined && q.lng !== undefined && q.radiusKm !== undefined) {
      const found = await opportunities.near({
        lat: q.lat,
        lng: q.lng,
        radiusKm: q.radiusKm,
        now: at,
        limit: q.limit,
      });
      return c.json({
        opportunities: found.map(({ opportunity, next, km }) => ({
          ...opportunity,
          next: iso(next),
          km: Math.round(km * 100) / 100,
        })),
      });
    }
    const found = await opportunities.upcoming(at, q.limit);
    return c.json({
      opportunities: found.map(({ opportunity, next }) => ({ ...opportunity, next: iso(next) })),
    });
  });
  app.all("/opportunities", () => methodNotAllowed("GET, POST"));

  app.get("/opportunities/:id", async (c) => {
    const id = c.req.param("id");
    const o = ID.test(id) ? await opportunities.get(id) : null;
    if (!o) throw notFound();
    return c.json(withNext(o));
  });

  app.patch("/opportunities/:id", async (c) => {
    const id = c.req.param("id");
    if (!ID.test(id) || !(await opportunities.get(id))) throw notFound();
    const body = resolvePlace(await readObject(c), places);
    const parsed = opportunityPatch.safeParse(body);
    if (!parsed.success) throw invalid(describeIssues(parsed.error));
    try {
      const o = await opportunities.update(id, parsed.data, API_ACTOR);
      if (!o) throw notFound();
      return c.json(withNext(o));
    } catch (err) {
      if (err instanceof ZodError) throw invalid(describeIssues(err));
      throw err;
    }
  });

  app.delete("/opportunities/:id", async (c) => {
    const id = c.req.param("id");
    if (!ID.test(id) || !(await opportunities.remove(id, API_ACTOR))) throw notFound();
    return c.body(null, 204);
  });
  app.all("/opportunities/:id", () => methodNotAllowed("GET, PATCH, DELETE"));

  /** Who posted, changed, removed and broadcast what: newest first (`?limit=`, default 100). */
  app.get("/audit", async (c) => {
    const parsed = number("a whole number", 1, 1000)
      .refine(Number.isInteger, "must be a whole number")
      .optional()
      .safeParse(c.req.query("limit"));
    if (!parsed.success) throw invalid(`limit: ${parsed.error.issues[0]?.message}`);
    return c.json({ entries: await opportunities.audit(parsed.data ?? 100) });
  });

  return app;
}
