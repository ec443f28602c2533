import { buildCatalog, type Catalog, type SourceDoc } from "./catalog/catalog.ts";
import { createDescribe, createSuggest } from "./core/suggest.ts";
import type { EngineDeps } from "./flows/engine.ts";
import { type Flows, loadFlows } from "./flows/load.ts";
import type { Speech } from "./flows/speech.ts";
import { createSpeech, type LocaleResources } from "./i18n.ts";
import { type Places, placesFileSchema, placesFrom } from "./opportunities/places.ts";

/** Every content file, read but not yet validated (runtime-neutral: files on Node, a bundle on Workers). */
export interface ContentSources {
  flows: SourceDoc[];
  activities: SourceDoc[];
  /** Locale -> its `activities.json` (not English: English text is in the catalog). */
  translations: Record<string, SourceDoc>;
  locales: Record<string, LocaleResources>;
  /** `content/places.yaml`: the deployment's own named places (optional). */
  places?: SourceDoc;
}

export interface Content extends EngineDeps {
  flows: Flows;
  catalog: Catalog;
  speech: Speech;
  /** Named places (libraries, parks…) with coordinates: for posting and for `nearby`. */
  places: Places;
}

/** Validates all content and wires the engine's dependencies. Throws naming the file and what is wrong. */
export function buildContent(sources: ContentSources, defaultLocale: string): Content {
  const flows = loadFlows(sources.flows);
  const catalog = buildCatalog(sources.activities, sources.translations);
  const speech = createSpeech(sources.locales, defaultLocale);
  const placesParsed = placesFileSchema.safeParse(sources.places?.data ?? []);
  if (!placesParsed.success) {
    const issue = placesParsed.error.issues[0];
    throw new Error(`${sources.places?.file}: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return {
    flows,
    catalog,
    speech,
    places: placesFrom(placesParsed.data),
    suggest: createSuggest(catalog, speech),
    describe: createDescribe(catalog, speech),
  };
}
