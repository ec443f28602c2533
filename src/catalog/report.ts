import { MODES, SETTINGS } from "../core/types.ts";
import type { Activity } from "./schema.ts";

/** The age bands coverage is counted in (months, inclusive). */
export const AGE_BANDS = [
  { name: "0-11 months", from: 0, to: 11 },
  { name: "1-2 years", from: 12, to: 35 },
  { name: "3-4 years", from: 36, to: 59 },
  { name: "5-7 years", from: 60, to: 95 },
  { name: "8-12 years", from: 96, to: 155 },
] as const;

/** What the catalog must cover (issue "A catalog worth coming back to"). */
export const TARGETS = {
  total: 300,
  perMode: 20,
  perBand: 50,
  perSetting: 50,
  noMaterials: 80,
  short: 50,
  together: 40,
} as const;

const inBand = (a: Activity, b: (typeof AGE_BANDS)[number]) =>
  a.ages[0] <= b.to && a.ages[1] >= b.from;
const pad = (s: string | number, n: number) => String(s).padStart(n);

/** Coverage counts and the targets not met (empty when all are). */
export function coverage(activities: readonly Activity[]) {
  const count = (f: (a: Activity) => boolean) => activities.filter(f).length;
  const grid = AGE_BANDS.map((b) =>
    MODES.map((m) => count((a) => inBand(a, b) && a.modes.includes(m))),
  );
  const shortfalls: string[] = [];
  const need = (what: string, n: number, min: number) => {
    if (n < min) shortfalls.push(`${what}: ${n} (needs ${min})`);
  };
  need("activities", activities.length, TARGETS.total);
  for (const m of MODES)
    need(
      `mode ${m}`,
      count((a) => a.modes.includes(m)),
      TARGETS.perMode,
    );
  for (const b of AGE_BANDS)
    need(
      `ages ${b.name}`,
      count((a) => inBand(a, b)),
      TARGETS.perBand,
    );
  for (const s of SETTINGS)
    need(
      `setting ${s}`,
      count((a) => a.setting === s),
      TARGETS.perSetting,
    );
  need(
    "no materials",
    count((a) => a.materials === "none"),
    TARGETS.noMaterials,
  );
  need(
    "5 minutes or less",
    count((a) => a.minutes <= 5),
    TARGETS.short,
  );
  need(
    "across generations or with neighbours",
    count((a) => a.together),
    TARGETS.together,
  );
  for (const [i, b] of AGE_BANDS.entries())
    for (const [j, m] of MODES.entries())
      if (grid[i]?.[j] === 0) shortfalls.push(`no ${m} activity for ${b.name}`);
  return { grid, shortfalls, count };
}

/** The report `npm run catalog:report` prints: ages × modes, settings, minutes, materials. */
export function formatReport(activities: readonly Activity[]): string {
  const { grid, shortfalls, count } = coverage(activities);
  const w = 8;
  const lines = [
    `Catalog: ${activities.length} activities`,
    "",
    `${"ages \\ modes".padEnd(14)}${MODES.map((m) => pad(m.slice(0, 7), w)).join("")}${pad("all", w)}`,
    ...AGE_BANDS.map(
      (b, i) =>
        `${b.name.padEnd(14)}${(grid[i] ?? []).map((n) => pad(n, w)).join("")}${pad(
          count((a) => inBand(a, b)),
          w,
        )}`,
    ),
    `${"all".padEnd(14)}${MODES.map((m) =>
      pad(
        count((a) => a.modes.includes(m)),
        w,
      ),
    ).join("")}`,
    "",
    `settings   ${SETTINGS.map((s) => `${s} ${count((a) => a.setting === s)}`).join(" · ")}`,
    `minutes    ≤5 ${count((a) => a.minutes <= 5)} · 6-15 ${count((a) => a.minutes > 5 && a.minutes <= 15)} · 16-30 ${count((a) => a.minutes > 15 && a.minutes <= 30)} · >30 ${count((a) => a.minutes > 30)}`,
    `materials  ${["none", "household", "craft"].map((m) => `${m} ${count((a) => a.materials === m)}`).join(" · ")}`,
    `energy     calm ${count((a) => a.energy === "calm")} · active ${count((a) => a.energy === "active")}`,
    `weather    dry only ${count((a) => a.weather === "dry")} · daylight ${count((a) => a.daylight)} · seasonal ${count((a) => a.seasons !== undefined)}`,
    `together   ${count((a) => a.together)} (grandparent or neighbour)`,
    "",
    shortfalls.length === 0
      ? "Coverage: every target met."
      : `Coverage: ${shortfalls.length} target(s) not met:\n  - ${shortfalls.join("\n  - ")}`,
  ];
  return lines.join("\n");
}
