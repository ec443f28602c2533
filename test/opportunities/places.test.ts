import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { distanceKm, loadPlaces } from "../../src/opportunities/places.ts";

const places = loadPlaces(
  readFileSync(new URL("../../content/places.yaml", import.meta.url), "utf8"),
);

describe("places", () => {
  it("the sample list is valid, 12–20 places, all in and around Bristol", () => {
    expect(places.places.length).toBeGreaterThanOrEqual(12);
    expect(places.places.length).toBeLessThanOrEqual(20);
    const centre = { lat: 51.4545, lng: -2.5879 };
    for (const p of places.places) expect(distanceKm(centre, p)).toBeLessThan(10);
  });

  it("finds by name or alias, ignoring case, accents and punctuation", () => {
    expect(places.find("Bristol Central Library")?.id).toBe("bristol-central-library");
    expect(places.find("  central LIBRARY ")?.id).toBe("bristol-central-library");
    expect(places.find("Bristól Muséum and Art Gallery")?.id).toBe("bristol-museum");
    expect(places.find("bristol museum & art gallery")?.lat).toBe(51.4561);
    expect(places.find("Cabot Tower")?.id).toBe("brandon-hill");
    expect(places.find("Eastville")?.kind).toBe("neighbourhood");
    expect(places.find("Eastville Park")?.kind).toBe("park");
  });

  it("matches part of a name only when one place fits", () => {
    expect(places.find("library")?.id).toBe("bristol-central-library");
    expect(places.find("curious")?.id).toBe("we-the-curious");
    expect(places.find("park")).toBeUndefined();
    expect(places.find("lawrence")).toBeUndefined();
    expect(places.find("Gotham Library")).toBeUndefined();
    expect(places.find("")).toBeUndefined();
  });

  it("refuses a bad list, naming the entry", () => {
    expect(() => loadPlaces("- { id: a, name: A, kind: zoo, lat: 1, lng: 2 }")).toThrow(/0\.kind/);
    expect(() =>
      loadPlaces(
        "- { id: a, name: A, kind: park, lat: 1, lng: 2 }\n- { id: a, name: B, kind: park, lat: 1, lng: 2 }",
      ),
    ).toThrow(/duplicate id a/);
    expect(() => loadPlaces("- { id: a, name: A, kind: park, lat: 95, lng: 2 }")).toThrow(/0\.lat/);
    expect(loadPlaces("").places).toEqual([]);
  });

  it("distanceKm is the haversine distance", () => {
    // Central Library to Eastville Park: about 3.8 km.
    const d = distanceKm({ lat: 51.4526, lng: -2.5997 }, { lat: 51.4757, lng: -2.5585 });
    expect(d).toBeGreaterThan(3.7);
    expect(d).toBeLessThan(3.95);
    expect(distanceKm({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(
      Math.PI * 6371.0088,
      3,
    );
  });
});
