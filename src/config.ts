import { z } from "zod";

/** Languages Sprout can speak, in the order they are offered (those with a complete folder in locales/). */
export const SUPPORTED_LOCALES = [
  "en",
  "es",
  "fr",
  "pt",
  "ar",
  "zh",
  "hi",
  "sw",
  "uk",
  "vi",
] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = z.url({ message: "must be a URL like https://example.org" });

/**
 * Twilio Content template SIDs: one "HX…" for every number of choices, or one per count
 * ("2:HX…,3:HX…") since a WhatsApp template has a fixed number of buttons.
 */
const templateSids = z
  .string()
  .trim()
  .regex(
    /^(HX[0-9a-f]{32}|(\d{1,2}:HX[0-9a-f]{32})(,\d{1,2}:HX[0-9a-f]{32})*)$/,
    'must be "HX…" or "2:HX…,3:HX…"',
  )
  .transform((v): string | Record<number, string> =>
    v.includes(":")
      ? Object.fromEntries(
          v
            .split(",")
            .map((p) => p.split(":"))
            .map(([n, sid]) => [Number(n), sid as string]),
        )
      : v,
  );

/** Proactive sends a second on a channel (broadcasts, tips). */
const rate = z.coerce
  .number({ message: "must be messages a second, e.g. 10" })
  .positive("must be above 0")
  .max(1000, "must be at most 1000");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce
      .number({ message: "must be a port number from 1 to 65535" })
      .int("must be a whole number")
      .min(1, "must be from 1 to 65535")
      .max(65535, "must be from 1 to 65535")
      .default(8787),
    PUBLIC_URL: url.optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
      .optional(),
    /** Prefix of every Redis key (several deployments, or test runs, may share one Redis). */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}:$/, 'must be letters, digits, "_", "." or "-" ending in ":"')
      .default("sprout:"),
    DEFAULT_LOCALE: z.enum(SUPPORTED_LOCALES).default("en"),
    TELEGRAM_BOT_TOKEN: optionalString,
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "1-256 characters of A-Z, a-z, 0-9, _ and -")
      .optional(),
    TELEGRAM_API_ROOT: url.default("https://api.telegram.org"),
    TELEGRAM_MODE: z.enum(["webhook", "polling"]).default("webhook"),
    TWILIO_ACCOUNT_SID: optionalString,
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_WHATSAPP_FROM: z
      .string()
      .regex(/^whatsapp:\+\d{6,15}$/, "must look like whatsapp:+14155238886")
      .optional(),
    TWILIO_API_BASE: url.default("https://api.twilio.com"),
    TWILIO_CONTENT_QUICK_REPLY: templateSids.optional(),
    TWILIO_CONTENT_LIST_PICKER: templateSids.optional(),
    /** An approved utility template ("this week's ideas are ready") for tips outside 24 hours. */
    TWILIO_CONTENT_TIPS: z
      .string()
      .regex(/^HX[0-9a-f]{32}$/, "must be a Content SID like HX…")
      .optional(),
    /** An approved template for broadcasts outside 24 hours ({{1}} = the opportunity's title). */
    TWILIO_CONTENT_BROADCAST: z
      .string()
      .regex(/^HX[0-9a-f]{32}$/, "must be a Content SID like HX…")
      .optional(),
    TELEGRAM_SEND_RATE: rate.default(30),
    WHATSAPP_SEND_RATE: rate.default(10),
    SLACK_SEND_RATE: rate.default(5),
    SLACK_BOT_TOKEN: optionalString,
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_API_URL: url.default("https://slack.com/api/"),
    /** Slack users who may post opportunities and broadcast ("U123,U456"). */
    SLACK_POSTERS: z
      .string()
      .regex(
        /^[UW][A-Z0-9]{2,}(,\s*[UW][A-Z0-9]{2,})*$/,
        'must be Slack user ids like "U123ABC,U456DEF"',
      )
      .transform((v) => v.split(",").map((s) => s.trim()))
      .optional(),
    /** A Slack channel whose members may post opportunities and broadcast ("C…"). */
    SLACK_POSTERS_CHANNEL: z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, "must be a Slack channel id like C0123ABC")
      .optional(),
    ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === "webhook" && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["TELEGRAM_WEBHOOK_SECRET"],
        message: "is required with TELEGRAM_BOT_TOKEN (or set TELEGRAM_MODE=polling)",
      });
    }
    if (enabledWhatsApp(env) && !env.PUBLIC_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["PUBLIC_URL"],
        message: "is required for WhatsApp (Twilio signs requests to PUBLIC_URL + path)",
      });
    }
    if (env.NODE_ENV === "production" && !env.REDIS_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["REDIS_URL"],
        message:
          "is required when NODE_ENV=production (the in-memory store loses every family on restart)",
      });
    }
  });

export type Config = z.infer<typeof schema>;

/** A start-up error that names each bad variable and why. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Parses the environment once, at start.
 * @example loadConfig(process.env) // throws ConfigError naming e.g. "PORT: must be ≤ 65535"
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`),
    );
  }
  return parsed.data;
}

function enabledWhatsApp(c: {
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_WHATSAPP_FROM?: string;
}): boolean {
  return Boolean(c.TWILIO_ACCOUNT_SID && c.TWILIO_AUTH_TOKEN && c.TWILIO_WHATSAPP_FROM);
}

/** Which channels have their credentials set. */
export function enabledChannels(config: Config): string[] {
  const on: string[] = [];
  if (config.TELEGRAM_BOT_TOKEN) on.push("telegram");
  if (enabledWhatsApp(config)) on.push("whatsapp");
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) on.push("slack");
  return on;
}
