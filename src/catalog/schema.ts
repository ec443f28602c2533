import { z } from "zod";
import { ENERGIES, MODES, SETTINGS } from "../core/types.ts";

const line = (max: number) => z.string().trim().min(1).max(max);

/** The words of one activity in one language. */
export const activityTextSchema = z.strictObject({
  title: line(40),
  need: line(160),
  steps: z.array(line(220)).min(2).max(4),
  why: line(220),
  easier: line(200),
  harder: line(200),
  safety: line(160).optional(),
});
export type ActivityText = z.infer<typeof activityTextSchema>;

/** One activity as written in `content/activities/*.yaml` (see content/FORMAT.md). */
export const activitySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case, like puddle-boats"),
    ages: z.tuple([z.number().int().min(0).max(155), z.number().int().min(0).max(155)]),
    minutes: z.number().int().min(1).max(120),
    setting: z.enum(SETTINGS),
    materials: z.enum(["none", "household", "craft"]),
    energy: z.enum(ENERGIES),
    modes: z.array(z.enum(MODES)).min(1).max(3),
    weather: z.enum(["any", "dry"]).default("any"),
    daylight: z.boolean().default(false),
    seasons: z
      .array(z.enum(["spring", "summer", "autumn", "winter"]))
      .min(1)
      .max(3)
      .optional(),
    together: z.boolean().default(false),
    text: activityTextSchema,
  })
  .refine((a) => a.ages[0] <= a.ages[1], {
    message: "ages: the first must not be above the second",
    path: ["ages"],
  });
export type Activity = z.infer<typeof activitySchema>;

export const activityFileSchema = z.array(activitySchema).min(1);

/** `locales/<lng>/activities.json`: activity id -> text in that language. */
export const translationFileSchema = z.record(z.string(), activityTextSchema);
