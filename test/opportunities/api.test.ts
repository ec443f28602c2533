import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.ts";
import { loadPlaces } from "../../src/opportunities/places.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { POINTS } from "./contract.ts";

const token = "a-very-secret-admin-token";
const places = loadPlaces(
  readFileSync(new URL("../../content/places.yaml", import.meta.url), "utf8"),
);

function setup(now = "2030-03-20T12:00:00Z") {
  const store = createMemoryStore();
  const { opportunities } = store;
  const app = createApp({ store, adminToken: token, places, now: () => new Date(now) });
  const call = (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
  return { app, call, opportunities };
}

const body = (overrides: Record<string, unknown> = {}) => ({
  title: "Rhyme time",
  description: "Songs and rhymes for babies and toddlers.",
  startsAt: "2030-03-23T10:00:00Z",
  endsAt: "2030-03-23T11:00:00Z",
  timezone: "Europe/London",
  place: { name: "Bristol Central Library", lat: 51.4526, lng: -2.5997 },
  ages: { minMonths: 0, maxMonths: 36 },
  cost: "free",
  languages: ["en"],
  ...overrides,
});

const error = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe("community API: opportunities", () => {
  it("is behind the bearer token", async () => {
    const { app } = setup();
    expect((await app.request("/api/opportunities")).status).toBe(401);
    expect((await app.request("/api/opportunities", { method: "POST", body: "{}" })).status).toBe(
      401,
    );
  });

  it("POST creates (201 { id }), GET /:id reads it back with its next occurrence", async () => {
    const { call, opportunities } = setup();
    const res = await call(
      "POST",
      "/api/opportunities",
      body({ language: "en", link: "https://example.org/r" }),
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    const got = await call("GET", `/api/opportunities/${id}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({
      id,
      title: { en: "Rhyme time" },
      startsAt: "2030-03-23T10:00:00.000Z",
      link: "https://example.org/r",
      createdBy: "api",
      next: { startsAt: "2030-03-23T10:00:00.000Z", endsAt: "2030-03-23T11:00:00.000Z" },
    });
    expect((await opportunities.audit())[0]).toMatchObject({ action: "create", id, by: "api" });
  });

  it("answers 400 naming each bad field, bad_json for a body that does not parse", async () => {
    const { call } = setup();
    const bad = await call(
      "POST",
      "/api/opportunities",
      body({ title: undefined, place: { name: "X", lat: 100, lng: -2.6 }, colour: "red" }),
    );
    expect(bad.status).toBe(400);
    const e = await error(bad);
    expect(e.code).toBe("invalid");
    expect(e.message).toContain("title: required");
    expect(e.message).toContain("place.lat: must be between -90 and 90");
    expect(e.message).toContain("colour: unknown field");

    const order = await call(
      "POST",
      "/api/opportunities",
      body({ endsAt: "2030-03-23T09:00:00Z" }),
    );
    expect(await error(order)).toEqual({
      code: "invalid",
      message: "endsAt: must be after startsAt",
    });

    const json = await call("POST", "/api/opportunities", '{"title": "Rhyme time",');
    expect(json.status).toBe(400);
    expect((await error(json)).code).toBe("bad_json");
    const array = await call("POST", "/api/opportunities", "[1, 2]");
    expect(await error(array)).toEqual({ code: "invalid", message: "body: must be a JSON object" });
  });

  it("a known place by name alone gets its coordinates; an unknown one is a 400 on place.name", async () => {
    const { call } = setup();
    const res = await call(
      "POST",
      "/api/opportunities",
      body({ place: { name: "central library" } }),
    );
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const got = (await (await call("GET", `/api/opportunities/${id}`)).json()) as {
      place: unknown;
    };
    expect(got.place).toEqual({ name: "Bristol Central Library", lat: 51.4526, lng: -2.5997 });

    const unknown = await call(
      "POST",
      "/api/opportunities",
      body({ place: { name: "Gotham Library" } }),
    );
    expect(unknown.status).toBe(400);
    expect((await error(unknown)).message).toMatch(
      /^place\.name: no known place called "Gotham Library"/,
    );
    const half = await call(
      "POST",
      "/api/opportunities",
      body({ place: { name: "Somewhere", lat: 51.4 } }),
    );
    expect((await error(half)).message).toBe("place.lng: required");
  });

  it("GET lists upcoming only, soonest first, and near a point when asked", async () => {
    const { call } = setup("2030-03-22T12:00:00Z");
    const make = async (overrides: Record<string, unknown>) =>
      ((await (await call("POST", "/api/opportunities", body(overrides))).json()) as { id: string })
        .id;
    const library = await make({});
    const eastville = await make({
      startsAt: "2030-03-22T14:00:00Z",
      endsAt: "2030-03-22T15:00:00Z",
      place: { name: "Eastville Park" },
    });
    await make({ startsAt: "2030-03-21T10:00:00Z", endsAt: "2030-03-21T11:00:00Z" }); // over
    const far = await make({
      startsAt: "2030-03-24T10:00:00Z",
      endsAt: "2030-03-24T11:00:00Z",
      place: { name: "Portishead Library", ...POINTS.portishead },
    });

    const all = (await (await call("GET", "/api/opportunities")).json()) as {
      opportunities: Array<{ id: string; next: { startsAt: string } }>;
    };
    expect(all.opportunities.map((o) => o.id)).toEqual([eastville, library, far]);
    expect(all.opportunities[0]?.next.startsAt).toBe("2030-03-22T14:00:00.000Z");

    const q = `lat=${POINTS.castlePark.lat}&lng=${POINTS.castlePark.lng}&radiusKm=5`;
    const near = (await (await call("GET", `/api/opportunities?${q}`)).json()) as {
      opportunities: Array<{ id: string; km: number }>;
    };
    expect(near.opportunities.map((o) => o.id)).toEqual([eastville, library]);
    expect(near.opportunities[1]?.km).toBeCloseTo(0.9, 1);

    const bad = await call("GET", "/api/opportunities?lat=51.45&lng=-2.59&radiusKm=-1");
    expect(bad.status).toBe(400);
    expect((await error(bad)).message).toBe("radiusKm: must be between 0.1 and 200");
    const partial = await call("GET", "/api/opportunities?lat=51.45");
    expect((await error(partial)).message).toBe("lat: give lat, lng and radiusKm together");
    const nan = await call("GET", "/api/opportunities?lat=north&lng=-2.59&radiusKm=5");
    expect((await error(nan)).message).toMatch(/^lat: /);
  });

  it("PATCH changes fields, re-validated as a whole; 404 for none", async () => {
    const { call, opportunities } = setup();
    const { id } = (await (
      await call("POST", "/api/opportunities", body({ organiser: "Library team" }))
    ).json()) as { id: string };

    const moved = await call("PATCH", `/api/opportunities/${id}`, {
      place: { name: "Eastville Park" },
      organiser: null,
      title: "Canciones",
      language: "es",
    });
    expect(moved.status).toBe(200);
    const o = (await moved.json()) as Record<string, unknown>;
    expect(o).toMatchObject({
      id,
      title: { es: "Canciones" },
      place: { name: "Eastville Park", lat: 51.4757 },
    });
    expect("organiser" in o).toBe(false);

    const before = await call("PATCH", `/api/opportunities/${id}`, {
      endsAt: "2030-03-23T09:00:00Z",
    });
    expect(before.status).toBe(400);
    expect(await error(before)).toEqual({
      code: "invalid",
      message: "endsAt: must be after startsAt",
    });
    const field = await call("PATCH", `/api/opportunities/${id}`, {
      ages: { minMonths: 0, maxMonths: 300 },
    });
    expect((await error(field)).message).toBe("ages.maxMonths: must be between 0 and 216");
    const unknown = await call("PATCH", `/api/opportunities/${id}`, { id: "other" });
    expect((await error(unknown)).message).toBe("id: unknown field");
    expect((await opportunities.get(id))?.endsAt).toBe("2030-03-23T11:00:00.000Z");

    expect((await call("PATCH", "/api/opportunities/nope", { cost: "£1" })).status).toBe(404);
    expect((await call("PATCH", `/api/opportunities/${id}`, "{")).status).toBe(400);
  });

  it("DELETE answers 204, then 404; GET of none is 404", async () => {
    const { call, opportunities } = setup();
    const { id } = (await (await call("POST", "/api/opportunities", body())).json()) as {
      id: string;
    };
    const del = await call("DELETE", `/api/opportunities/${id}`);
    expect(del.status).toBe(204);
    expect(await del.text()).toBe("");
    const again = await call("DELETE", `/api/opportunities/${id}`);
    expect(again.status).toBe(404);
    expect(await error(again)).toEqual({ code: "not_found", message: "No such opportunity" });
    expect((await call("GET", `/api/opportunities/${id}`)).status).toBe(404);
    expect((await call("GET", "/api/opportunities/%7Bbad%7D")).status).toBe(404);
    expect((await opportunities.audit()).map((e) => `${e.action}:${e.by}`)).toEqual([
      "remove:api",
      "create:api",
    ]);
  });

  it("a wrong method is 405 with Allow", async () => {
    const { call } = setup();
    const put = await call("PUT", "/api/opportunities", {});
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    const post = await call("POST", "/api/opportunities/abc", {});
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, PATCH, DELETE");
  });
});

describe("community API: audit", () => {
  it("lists who did what, newest first", async () => {
    const { call } = setup();
    const created = await call("POST", "/api/opportunities", body());
    const { id } = (await created.json()) as { id: string };
    await call("PATCH", `/api/opportunities/${id}`, { cost: "£1" });
    await call("DELETE", `/api/opportunities/${id}`);
    const res = await call("GET", "/api/audit?limit=2");
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as { entries: Array<Record<string, unknown>> };
    expect(entries.map((e) => [e.action, e.id, e.by])).toEqual([
      ["remove", id, "api"],
      ["update", id, "api"],
    ]);
    expect((await call("GET", "/api/audit?limit=0")).status).toBe(400);
  });
});
