import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { ContentSources } from "./content.ts";

/** The repository root (where flows/, content/ and locales/ live). */
export const ROOT = join(import.meta.dirname, "..");

function readDocs(dir: string, ext: RegExp, parseText: (text: string) => unknown) {
  return readdirSync(join(ROOT, dir))
    .filter((f) => ext.test(f))
    .sort()
    .map((f) => {
      const file = `${dir}/${f}`;
      const text = readFileSync(join(ROOT, file), "utf8");
      try {
        return { file, data: parseText(text) };
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
    });
}

const json = (file: string) => {
  try {
    return JSON.parse(readFileSync(join(ROOT, file), "utf8")) as unknown;
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
};

/**
 * The languages in locales/: a folder counts once it has all its files (common.json,
 * understand.json, and activities.json but for English), so a translation in progress is ignored.
 */
export function localeCodes(): string[] {
  return readdirSync(join(ROOT, "locales"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .filter((l) =>
      ["common.json", "understand.json", ...(l === "en" ? [] : ["activities.json"])].every((f) =>
        existsSync(join(ROOT, "locales", l, f)),
      ),
    )
    .sort();
}

/** Reads flows/*.yaml, content/activities/*.yaml and locales/<lng>/*.json from disk. */
export function readContentFiles(): ContentSources {
  const locales = localeCodes();
  return {
    flows: readDocs("flows", /\.ya?ml$/, parse),
    activities: readDocs("content/activities", /\.ya?ml$/, parse),
    translations: Object.fromEntries(
      locales
        .filter((l) => l !== "en")
        .map((l) => [
          l,
          { file: `locales/${l}/activities.json`, data: json(`locales/${l}/activities.json`) },
        ]),
    ),
    places: existsSync(join(ROOT, "content/places.yaml"))
      ? {
          file: "content/places.yaml",
          data: parse(readFileSync(join(ROOT, "content/places.yaml"), "utf8")),
        }
      : undefined,
    locales: Object.fromEntries(
      locales.map((l) => [
        l,
        {
          common: json(`locales/${l}/common.json`) as Record<string, unknown>,
          understand: json(`locales/${l}/understand.json`),
        },
      ]),
    ),
  };
}
