/** `npm run catalog:report`: the catalog's coverage as a table; exits 1 when a target is not met. */

import { coverage, formatReport } from "../catalog/report.ts";
import { buildContent } from "../content.ts";
import { readContentFiles } from "../content-files.ts";

const { catalog } = buildContent(readContentFiles(), "en");
console.log(formatReport(catalog.activities));
if (coverage(catalog.activities).shortfalls.length > 0) process.exitCode = 1;
