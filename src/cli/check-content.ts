/** `npm run check` (content part): flows, catalog, translations and message limits; exits 1 on a problem. */
import { checkContent } from "../content-check.ts";
import { readContentFiles } from "../content-files.ts";

let problems: string[];
try {
  problems = checkContent(readContentFiles());
} catch (err) {
  problems = [(err as Error).message];
}
if (problems.length > 0) {
  console.error(
    `Content check failed (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  );
  process.exitCode = 1;
} else {
  console.log("Content check passed: flows, catalog, translations and message limits.");
}
