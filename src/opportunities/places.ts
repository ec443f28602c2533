import { parse } from "yaml";
import { z } from "zod";
import { fold } from "../text/normalize.ts";

/** Kinds of place a deployment lists. */
export const PLACE_KINDS = [
  "library",
  "park",
  "centre",
  "school",
  "neighbourhood",
  "museum",
] as const;

/** One entry of `content/places.yaml`. */
export const placeSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case, like central-library"),
  name: z.string().trim().min(1).max(200),
  kind: z.enum(PLACE_KINDS),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  aliases: z.array(z.string().trim().min(1).max(200)).optional(),
});
export type Place = z.infer<typeof placeSchema>;

/** The whole file: a list of places with unique ids. */
export const placesFileSchema = z.array(placeSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((p, i) => {
    if (seen.has(p.id))
      ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate id ${p.id}` });
    seen.add(p.id);
  });
});

/** A deployment's known places, found by name. */
export interface Places {
  readonly places: readonly Place[];
  /**
   * The place a name means: its name or an alias, ignoring case and accents; else the one place
   * whose name or alias contains the words given ("central library"), when only one does.
   */
  find(name: string): Place | undefined;
}

/**
 * Reads a places list (the text of `content/places.yaml`), validated; throws naming the entry.
 * @example loadPlaces(readFileSync("content/places.yaml", "utf8")).find("central library")
 */
export function loadPlaces(yamlText: string): Places {
  const data: unknown = parse(yamlText) ?? [];
  const result = placesFileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`places: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return placesFrom(result.data);
}

/** The {@link Places} of a list already validated. */
export function placesFrom(places: readonly Place[]): Places {
  const names = places.map((p) => ({
    place: p,
    keys: [p.name, ...(p.aliases ?? [])].map((n) => fold(n)),
  }));
  const exact = new Map<string, Place>();
  for (const { place, keys } of names) for (const k of keys) if (!exact.has(k)) exact.set(k, place);
  return {
    places,
    find(name) {
      const q = fold(name);
      if (!q) return undefined;
      const hit = exact.get(q);
      if (hit) return hit;
      const words = q.split(" ");
      const partial = names.filter(({ keys }) =>
        keys.some((k) => {
          const have = k.split(" ");
          return words.every((w) => have.includes(w));
        }),
      );
      return partial.length === 1 ? partial[0]?.place : undefined;
    },
  };
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/**
 * The great-circle (haversine) distance between two points, in km.
 * @example distanceKm({ lat: 51.4526, lng: -2.5997 }, { lat: 51.4757, lng: -2.5585 }) // ≈ 3.8
 */
export function distanceKm(
  a: { lat: number; lng: number },
  b: { lat: number; lng: number },
): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
