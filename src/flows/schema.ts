import { z } from "zod";

const key = z
  .string()
  .regex(/^[a-z_]+(\.[a-z0-9_]+)+$/, "must be an i18n key like onboarding.greeting");
const stepId = z.string().regex(/^[a-z][a-z0-9_]*$/, "must be a step id like ask_age");
const flowId = z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a flow id like onboarding");
const fact = z.string().regex(/^(profile|vars)\.[a-z_]+$/, "must be profile.<name> or vars.<name>");

/** A choice offered with a question; `if` shows it only when a fact has (or lacks) a value. */
export const choiceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,32}$/, "must be a short id like add_child"),
  label: key,
  if: z
    .strictObject({ fact, is: z.string().optional(), not: z.string().optional() })
    .refine((c) => (c.is === undefined) !== (c.not === undefined), "needs exactly one of is / not")
    .optional(),
});
export type FlowChoice = z.infer<typeof choiceSchema>;

/** Choices: a list, or one of the lists Sprout builds (languages, interests left to pick). */
const choices = z.union([
  z.array(choiceSchema).min(1).max(10),
  z.enum(["languages", "second_languages", "interests", "timezones"]),
]);

const base = { id: stepId.optional(), next: stepId.optional() };

/** Actions the host carries out on the family's state. */
export const ACTS = [
  "consent-yes",
  "consent-no",
  "opt-out",
  "opt-in",
  "replace-children",
  "clear-interests",
  "clear-request",
  "shorter",
  "record-feedback",
  "delete-family",
  "guess-timezone",
  "tips-subscribe",
  "describe-tips",
  "tips-off",
  "forget-area",
  "widen-radius",
  "opportunities-yes",
  "opportunities-no",
  "remind-me",
  "not-interested",
] as const;

export const stepSchema = z.discriminatedUnion("type", [
  z.strictObject({ ...base, type: z.literal("say"), text: key, choices: choices.optional() }),
  z.strictObject({
    ...base,
    type: z.literal("ask"),
    id: stepId,
    text: key,
    /** How the answer is read: one of the choices, an age, interests, a language, a time of day, a time zone. */
    answer: z.enum([
      "choice",
      "age",
      "interest",
      "language",
      "second-language",
      "hour",
      "timezone",
      "place",
    ]),
    /** Offer the platform's "share location" button with the question. */
    location: z.boolean().optional(),
    choices: choices.optional(),
    /** Session variable that keeps a choice's id. */
    save: z
      .string()
      .regex(/^[a-z_]+$/)
      .optional(),
    /** Choice id -> step to go to. */
    on: z.record(z.string(), stepId).optional(),
    retry: key,
  }),
  z.strictObject({
    ...base,
    type: z.literal("suggest"),
    id: stepId,
    choices: z.array(choiceSchema).min(1).max(10),
    on: z.record(z.string(), stepId),
    /** Said before the activity when the flow is entered from a free-text request. */
    intro: key.optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal("branch"),
    on: fact,
    cases: z.record(z.string(), stepId),
    else: stepId.optional(),
  }),
  z.strictObject({ ...base, type: z.literal("goto"), flow: flowId, step: stepId.optional() }),
  z.strictObject({
    ...base,
    type: z.literal("set"),
    var: z.string().regex(/^[a-z_]+$/),
    value: z.string(),
  }),
  z.strictObject({ ...base, type: z.literal("act"), act: z.enum(ACTS) }),
  /** Asks the host to look something up (opportunities near the family); the flow goes on with the answer. */
  z.strictObject({ ...base, type: z.literal("find"), id: stepId, find: z.enum(["nearby"]) }),
  /** Ends the flow; the family is idle (the last choices still work). */
  z.strictObject({ id: stepId.optional(), type: z.literal("end") }),
]);
export type Step = z.infer<typeof stepSchema>;

export const flowSchema = z.strictObject({
  id: flowId,
  /** A keyword (DESIGN.md) that starts this flow from anywhere. */
  trigger: z
    .enum([
      "start",
      "idea",
      "nearby",
      "tips",
      "tips_off",
      "settings",
      "language",
      "help",
      "stop",
      "delete",
    ])
    .optional(),
  steps: z.array(stepSchema).min(1).max(100),
});
export type Flow = z.infer<typeof flowSchema>;
