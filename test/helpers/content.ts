import { buildContent, type Content } from "../../src/content.ts";
import { readContentFiles } from "../../src/content-files.ts";

let cached: Content | undefined;

/** The real flows, catalog and languages of the repository, built once per test file. */
export function realContent(): Content {
  cached ??= buildContent(readContentFiles(), "en");
  return cached;
}
