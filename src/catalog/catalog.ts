import type { Mode } from "../core/types.ts";
import {
  type Activity,
  type ActivityText,
  activityFileSchema,
  translationFileSchema,
} from "./schema.ts";

/** The activity catalog: facts, and text in each language. */
export interface Catalog {
  activities: readonly Activity[];
  byId: ReadonlyMap<string, Activity>;
  /** Text of an activity in a language, falling back to English. */
  text(id: string, locale: string): ActivityText;
}

export class CatalogError extends Error {
  override name = "CatalogError";
}

/** A source file's name and its parsed (not yet validated) content. */
export interface SourceDoc {
  file: string;
  data: unknown;
}

function describe(
  file: string,
  issues: readonly { path: PropertyKey[]; message: string }[],
  data: unknown,
): string {
  return issues
    .slice(0, 10)
    .map((i) => {
      const [index, ...rest] = i.path;
      const item = Array.isArray(data) && typeof index === "number" ? data[index] : undefined;
      const id =
        item && typeof item === "object" && "id" in item
          ? ` (${String((item as { id: unknown }).id)})`
          : "";
      return `${file}: item ${String(index ?? "")}${id} ${rest.map(String).join(".")}: ${i.message}`;
    })
    .join("\n");
}

/**
 * Validates the activity files and their translations and builds the catalog.
 * Throws a CatalogError naming the file, the activity and the field of every problem.
 */
export function buildCatalog(
  activityDocs: readonly SourceDoc[],
  translationDocs: Readonly<Record<string, SourceDoc>>,
): Catalog {
  const problems: string[] = [];
  const activities: Activity[] = [];
  const byId = new Map<string, Activity>();
  for (const doc of activityDocs) {
    const parsed = activityFileSchema.safeParse(doc.data);
    if (!parsed.success) {
      problems.push(describe(doc.file, parsed.error.issues, doc.data));
      continue;
    }
    for (const a of parsed.data) {
      if (byId.has(a.id)) problems.push(`${doc.file}: ${a.id} is used twice`);
      byId.set(a.id, a);
      activities.push(a);
    }
  }
  const texts = new Map<string, ReadonlyMap<string, ActivityText>>();
  for (const [locale, doc] of Object.entries(translationDocs)) {
    const parsed = translationFileSchema.safeParse(doc.data);
    if (!parsed.success) {
      problems.push(
        parsed.error.issues
          .slice(0, 10)
          .map((i) => `${doc.file}: ${i.path.map(String).join(".")}: ${i.message}`)
          .join("\n"),
      );
      continue;
    }
    const map = new Map(Object.entries(parsed.data));
    for (const a of activities) {
      const t = map.get(a.id);
      if (!t) problems.push(`${doc.file}: ${a.id} has no text`);
      else if (t.steps.length !== a.text.steps.length)
        problems.push(
          `${doc.file}: ${a.id} has ${t.steps.length} steps, English has ${a.text.steps.length}`,
        );
      else if (Boolean(t.safety) !== Boolean(a.text.safety))
        problems.push(`${doc.file}: ${a.id} safety line present in only one language`);
    }
    for (const id of map.keys())
      if (!byId.has(id)) problems.push(`${doc.file}: ${id} is not in the catalog`);
    texts.set(locale, map);
  }
  if (problems.length > 0) throw new CatalogError(problems.join("\n"));
  return {
    activities,
    byId,
    text(id, locale) {
      const own = texts.get(locale)?.get(id);
      if (own) return own;
      const a = byId.get(id);
      if (!a) throw new CatalogError(`unknown activity ${id}`);
      return a.text;
    },
  };
}

/** How many activities each learning mode has (for reports and checks). */
export function modeCounts(catalog: Catalog): Record<Mode, number> {
  const counts = {} as Record<Mode, number>;
  for (const a of catalog.activities) for (const m of a.modes) counts[m] = (counts[m] ?? 0) + 1;
  return counts;
}
