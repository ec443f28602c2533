/**
 * `npm run tips:due -- --at 2026-12-07T18:00:00Z`: who would get which weekly tip at that time
 * (families whose slot is due by then), without sending anything or moving the schedule.
 * Reads the store of REDIS_URL (the in-memory default holds no families between runs).
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config.ts";
import { buildContent } from "../content.ts";
import { readContentFiles } from "../content-files.ts";
import { openStore } from "../store/open.ts";
import { previewTips } from "../tips/runner.ts";

const { values } = parseArgs({
  options: { at: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } },
});
const at = new Date(values.at ?? Date.now());
if (Number.isNaN(at.getTime())) {
  console.error(`--at: not a date/time (ISO 8601, e.g. 2026-12-07T18:00:00Z): ${values.at}`);
  process.exit(2);
}
const config = loadConfig(process.env);
const store = openStore(config);
try {
  const content = buildContent(readContentFiles(), config.DEFAULT_LOCALE);
  const due = await previewTips({ store, content }, at, Number(values.limit ?? 1000));
  if (values.json) console.log(JSON.stringify(due, null, 2));
  else {
    console.log(`${due.length} families due by ${at.toISOString()}`);
    for (const d of due)
      console.log(
        `${d.family}  ${d.local}  ${d.locale}  ${d.kind}${d.stale ? " (stale: dropped)" : ""}  ${d.activity}\n  ${d.text.replaceAll("\n", "\n  ")}`,
      );
  }
} finally {
  await store.close();
}
