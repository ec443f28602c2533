import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The platforms' payloads in `../shared/fixtures/` (beside the repository, in CI too). */
export const FIXTURES =
  process.env.SPROUT_FIXTURES_DIR ?? join(import.meta.dirname, "../../../shared/fixtures");

/** A fixture file parsed as JSON, e.g. `fixture("telegram/update-text.json")`. */
export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, path), "utf8")) as T;
}
