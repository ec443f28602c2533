import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.ts";
import { createMemoryStore } from "../src/store/memory.ts";

const token = "a-very-secret-admin-token";

describe("HTTP app", () => {
  const store = createMemoryStore();
  const app = createApp({ store, adminToken: token });

  it("GET /healthz answers 200", async () => {
    const res = await app.request("/healthz");
    expect(res.status).toBe(200);
  });

  it("GET /readyz answers 200 when the store answers, 503 when not", async () => {
    expect((await app.request("/readyz")).status).toBe(200);
    const down = createApp({ store: { ...store, ping: async () => false } });
    expect((await down.request("/readyz")).status).toBe(503);
    const throwing = createApp({
      store: { ...store, ping: () => Promise.reject(new Error("ECONNREFUSED")) },
    });
    expect((await throwing.request("/readyz")).status).toBe(503);
  });

  it("unknown route 404, wrong method 405 with Allow, as JSON", async () => {
    const notFound = await app.request("/nope");
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({
      error: { code: "not_found", message: "No such route" },
    });
    const wrong = await app.request("/healthz", { method: "POST" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
  });

  it("a body over 64 KiB gets 413", async () => {
    const res = await app.request("/healthz", { method: "POST", body: "x".repeat(65 * 1024) });
    expect(res.status).toBe(413);
  });

  it("/api/* needs the bearer token", async () => {
    expect((await app.request("/api/opportunities")).status).toBe(401);
    expect(
      (
        await app.request("/api/opportunities", {
          headers: { authorization: "Bearer wrong-token-xxxxxxx" },
        })
      ).status,
    ).toBe(401);
    const ok = await app.request("/api/opportunities", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ opportunities: [] });
    expect((await createApp({ store }).request("/api/opportunities")).status).toBe(503);
  });

  it("a handler error becomes a 500 JSON answer, never a crash", async () => {
    const boom = createApp({
      store,
      mounts: [
        {
          method: "GET",
          path: "/boom",
          handler: () => {
            throw new Error("bug");
          },
        },
      ],
    });
    const res = await boom.request("/boom");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: { code: "internal", message: "Something went wrong" },
    });
  });
});
