import { type ZodError, z } from "zod";
import { isTimeZone } from "../time/zone.ts";

/** A language code: "en", "es", "pt-BR", "zh-Hant". */
const LANGUAGE = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest a weekly series may run (one year after its first start, a leap day allowed). */
export const MAX_REPEAT_DAYS = 366;

/** A field's own message, or "required" when it is missing. */
const msg =
  (text: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? "required" : text;

const line = (max: number) =>
  z
    .string({ error: msg("must be a string") })
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`);

const languageCode = z
  .string({ error: msg("must be a language code") })
  .regex(LANGUAGE, 'must be a language code like "en" or "pt-BR"');

/** Text in one language (a plain string) or several (`{ "en": "…", "es": "…" }`). */
const text = (max: number) =>
  z.union(
    [
      line(max),
      z
        .record(languageCode, line(max), {
          error: msg("must be a string or an object of language → text"),
        })
        .refine((r) => Object.keys(r).length > 0, "must have at least one language"),
    ],
    { error: msg("must be a string or an object of language → text") },
  );

/** The same text, stored: always by language. */
const localized = (max: number) =>
  z
    .record(languageCode, line(max), { error: msg("must be an object of language → text") })
    .refine((r) => Object.keys(r).length > 0, "must have at least one language");

const instant = z
  .string({ error: msg("must be an ISO 8601 date-time") })
  .pipe(
    z.iso.datetime({
      offset: true,
      error: msg("must be an ISO 8601 date-time with an offset, like 2030-03-30T10:00:00Z"),
    }),
  )
  .transform((s) => new Date(s).toISOString());

export { isTimeZone };

const timezone = z
  .string({ error: msg("must be an IANA time zone") })
  .refine(
    (tz) => tz.length > 0 && tz.length <= 64 && isTimeZone(tz),
    'must be an IANA time zone like "Europe/London"',
  );

const until = z.union(
  [
    z.iso.date(),
    z
      .string()
      .pipe(z.iso.datetime({ offset: true }))
      .transform((s) => new Date(s).toISOString()),
  ],
  { error: msg("must be an ISO 8601 date (2030-12-31) or date-time with an offset") },
);

const repeat = z.strictObject(
  {
    weekly: z.literal(true, { error: msg("must be true") }),
    until,
  },
  { error: msg('must be { "weekly": true, "until": "<date>" }') },
);

const between = (min: number, max: number, what = "a number") =>
  z
    .number({ error: msg(`must be ${what}`) })
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);

const place = z.strictObject(
  {
    name: line(200),
    lat: between(-90, 90),
    lng: between(-180, 180),
    address: line(200).optional(),
  },
  { error: msg('must be an object like { "name", "lat", "lng" }') },
);

const months = between(0, 216, "a whole number of months").int("must be a whole number");
const ages = z
  .strictObject(
    { minMonths: months, maxMonths: months },
    { error: msg('must be { "minMonths", "maxMonths" }') },
  )
  .refine((a) => a.minMonths <= a.maxMonths, {
    message: "must not be above maxMonths",
    path: ["minMonths"],
  });

const httpsUrl = z
  .string({ error: msg("must be an https URL") })
  .max(200, "must be at most 200 characters")
  .refine((s) => {
    try {
      return new URL(s).protocol === "https:";
    } catch {
      return false;
    }
  }, "must be an https URL");

/** The fields both a new opportunity and a patch may carry (before text is keyed by language). */
const fields = {
  startsAt: instant,
  endsAt: instant,
  timezone,
  repeat,
  place,
  ages,
  cost: line(40),
  languages: z.array(languageCode, { error: msg("must be a list of language codes") }).max(20),
  link: httpsUrl,
  organiser: line(200),
  accessibility: line(200),
};

/** What is stored for a new opportunity (text keyed by language, instants in UTC ISO form). */
const stored = z.strictObject({
  title: localized(80),
  description: localized(600),
  startsAt: fields.startsAt,
  endsAt: fields.endsAt,
  timezone: fields.timezone,
  repeat: fields.repeat.optional(),
  place: fields.place,
  ages: fields.ages,
  cost: fields.cost,
  languages: fields.languages,
  link: fields.link.optional(),
  organiser: fields.organiser.optional(),
  accessibility: fields.accessibility.optional(),
});

/** A new opportunity, as stored: title and description by language. */
export type NewOpportunity = z.output<typeof stored>;

/** An opportunity in the store. Instants are ISO 8601 strings in UTC. */
export type Opportunity = NewOpportunity & {
  id: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

/** The rules that tie fields together (checked on create and again on every merged patch). */
function checkWhole(o: NewOpportunity, ctx: z.RefinementCtx) {
  const start = Date.parse(o.startsAt);
  const end = Date.parse(o.endsAt);
  if (!(end > start))
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  if (!o.repeat) return;
  if (end - start >= 7 * DAY_MS)
    ctx.addIssue({
      code: "custom",
      path: ["endsAt"],
      message: "a weekly opportunity must end less than 7 days after it starts",
    });
  const untilMs = Date.parse(
    o.repeat.until.length === 10 ? `${o.repeat.until}T23:59:59Z` : o.repeat.until,
  );
  if (untilMs < start)
    ctx.addIssue({
      code: "custom",
      path: ["repeat", "until"],
      message: "must not be before startsAt",
    });
  else if (untilMs - start > MAX_REPEAT_DAYS * DAY_MS)
    ctx.addIssue({
      code: "custom",
      path: ["repeat", "until"],
      message: "must be at most a year after startsAt",
    });
}

const byLanguage = (value: string | Record<string, string>, language: string) =>
  typeof value === "string" ? { [language]: value } : value;

/**
 * The body of `POST /api/opportunities`: strict (unknown fields are refused), text as a string in
 * `language` (default "en") or an object of language → text; parses to a {@link NewOpportunity}.
 * @example opportunityInput.parse({ title: "Story time", language: "en", … }).title // { en: "Story time" }
 */
export const opportunityInput = z
  .strictObject({
    title: text(80),
    description: text(600),
    language: languageCode.optional(),
    startsAt: fields.startsAt,
    endsAt: fields.endsAt,
    timezone: fields.timezone,
    repeat: fields.repeat.optional(),
    place: fields.place,
    ages: fields.ages,
    cost: fields.cost,
    languages: fields.languages,
    link: fields.link.optional(),
    organiser: fields.organiser.optional(),
    accessibility: fields.accessibility.optional(),
  })
  .transform(({ language, ...o }): NewOpportunity => {
    const lang = language ?? "en";
    return {
      ...o,
      title: byLanguage(o.title, lang),
      description: byLanguage(o.description, lang),
    };
  })
  .superRefine(checkWhole);

/** Optional fields a patch may clear with `null`. */
const clearable = <T extends z.ZodType>(schema: T) =>
  schema
    .nullable()
    .optional()
    .transform((v) => (v === null ? undefined : v));

/**
 * The body of `PATCH /api/opportunities/:id`: any subset of the fields, each under the same rules;
 * `null` clears an optional field (`repeat`, `link`, `organiser`, `accessibility`). The merged
 * whole is checked again by {@link applyPatch}. Parses to a partial {@link NewOpportunity} in which
 * a key present with the value `undefined` means "remove".
 * @example opportunityPatch.parse({ endsAt: "2030-03-30T12:00:00Z" })
 */
export const opportunityPatch = z
  .strictObject({
    title: text(80).optional(),
    description: text(600).optional(),
    language: languageCode.optional(),
    startsAt: fields.startsAt.optional(),
    endsAt: fields.endsAt.optional(),
    timezone: fields.timezone.optional(),
    repeat: clearable(fields.repeat),
    place: fields.place.optional(),
    ages: fields.ages.optional(),
    cost: fields.cost.optional(),
    languages: fields.languages.optional(),
    link: clearable(fields.link),
    organiser: clearable(fields.organiser),
    accessibility: clearable(fields.accessibility),
  })
  .transform(({ language, ...o }): Partial<NewOpportunity> => {
    const lang = language ?? "en";
    const out: Partial<NewOpportunity> = { ...o } as Partial<NewOpportunity>;
    if (o.title !== undefined) out.title = byLanguage(o.title, lang);
    if (o.description !== undefined) out.description = byLanguage(o.description, lang);
    return out;
  });

const whole = stored.superRefine(checkWhole);

/**
 * Merges a patch into an opportunity and checks the result as a whole; throws the `ZodError`
 * when the merge breaks a rule (e.g. `endsAt` moved before `startsAt`). Keys whose value is
 * `undefined` are removed.
 * @example applyPatch(current, { endsAt: "2030-03-30T12:00:00.000Z" })
 */
export function applyPatch(
  current: NewOpportunity,
  patch: Partial<NewOpportunity>,
): NewOpportunity {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return whole.parse(merged);
}

/** Checks (and normalises) an opportunity given to a store directly. */
export function checkOpportunity(input: NewOpportunity): NewOpportunity {
  return whole.parse(input);
}

type Issue = ZodError["issues"][number];

function explain(issue: Issue): string {
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) return "required";
  if (!issue.message.startsWith("Invalid input") && !issue.message.startsWith("Too "))
    return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `must be ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}`;
    case "too_big":
      return issue.origin === "array"
        ? `must have at most ${issue.maximum} entries`
        : `must be at most ${issue.maximum}${issue.origin === "string" ? " characters" : ""}`;
    case "too_small":
      return issue.origin === "array"
        ? `must have at least ${issue.minimum} entries`
        : `must be at least ${issue.minimum}${issue.origin === "string" ? " characters" : ""}`;
    default:
      return issue.message;
  }
}

/**
 * One short line naming each field that is wrong and why, for an API error message.
 * @example describeIssues(err) // "place.lat: must be between -90 and 90; title: required"
 */
export function describeIssues(error: ZodError): string {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const at = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) lines.push(`${at ? `${at}.` : ""}${key}: unknown field`);
      continue;
    }
    lines.push(`${at || "body"}: ${explain(issue)}`);
  }
  return [...new Set(lines)].join("; ");
}
