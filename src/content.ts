import { buildCatalog, type Catalog, type SourceDoc } from "./catalog/catalog.ts";
import { createDescribe, createSuggest } from "./core/suggest.ts";
import type { EngineDeps } from "./flows/engine.ts";
import { type Flows, loadFlows } from "./flows/load.ts";
import type { Speech } from "./flows/speech.ts";
import { createSpeech, type LocaleResources } from "./i18n.ts";

/** Every content file, read but not yet validated (runtime-neutral: files on Node, a bundle on Workers). */
export interface ContentSources {
  flows: SourceDoc[];
  activities: SourceDoc[];
  /** Locale -> its `activities.json` (not English: English text is in the catalog). */
  translations: Record<string, SourceDoc>;
  locales: Record<string, LocaleResources>;
}

export interface Content extends EngineDeps {
  flows: Flows;
  catalog: Catalog;
  speech: Speech;
}

/** Validates all content and wires the engine's dependencies. Throws naming the file and what is wrong. */
export function buildContent(sources: ContentSources, defaultLocale: string): Content {
  const flows = loadFlows(sources.flows);
  const catalog = buildCatalog(sources.activities, sources.translations);
  const speech = createSpeech(sources.locales, defaultLocale);
  return {
    flows,
    catalog,
    speech,
    suggest: createSuggest(catalog, speech),
    describe: createDescribe(catalog, speech),
  };
}
