import { parse } from "yaml";
import type { ContentSources } from "../content.ts";

/** Content as the Worker bundle holds it: YAML as text, JSON as data. */
export interface RawContent {
  flows: Array<{ file: string; text: string }>;
  activities: Array<{ file: string; text: string }>;
  locales: Record<string, { common: unknown; understand: unknown; translation?: unknown }>;
  places?: string;
}

/** Parses bundled content into the same sources the Node entry reads from disk. */
export function sourcesFromRaw(raw: RawContent): ContentSources {
  return {
    flows: raw.flows.map((f) => ({ file: f.file, data: parse(f.text) })),
    activities: raw.activities.map((f) => ({ file: f.file, data: parse(f.text) })),
    places:
      raw.places === undefined
        ? undefined
        : { file: "content/places.yaml", data: parse(raw.places) },
    translations: Object.fromEntries(
      Object.entries(raw.locales)
        .filter(([l]) => l !== "en")
        .map(([l, r]) => [l, { file: `locales/${l}/activities.json`, data: r.translation }]),
    ),
    locales: Object.fromEntries(
      Object.entries(raw.locales).map(([l, r]) => [
        l,
        { common: r.common as Record<string, unknown>, understand: r.understand },
      ]),
    ),
  };
}
