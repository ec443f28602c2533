/** Baseline (the ceiling): bare Hono on Node answering every webhook 200, doing nothing. */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("/webhooks/telegram", (c) => c.json({ ok: true }));
serve({ fetch: app.fetch, port: Number(process.env.PORT) }, () => console.log("ready"));
