/**
 * The channel-neutral model: what comes in from a family, what goes out to them,
 * and what Sprout remembers about them.
 */

/** The learning modes of DESIGN.md, in a stable order. */
export const MODES = [
  "nature",
  "community",
  "play",
  "intergenerational",
  "arts",
  "making",
  "moving",
  "mindfulness",
  "exploring",
  "words",
  "numbers",
] as const;
export type Mode = (typeof MODES)[number];

export const SETTINGS = ["home", "outdoors", "out"] as const;
export type Setting = (typeof SETTINGS)[number];

export const ENERGIES = ["calm", "active"] as const;
export type Energy = (typeof ENERGIES)[number];

/** Family ids look like `console:local`, `telegram:123`, `whatsapp:+34…`, `slack:T…:U…`. */
export type FamilyId = string;

/** One thing a family did, as a channel adapter understood it. */
export type InboundEvent =
  | { kind: "text"; text: string }
  /** A button press or list pick: the id of a choice Sprout offered. */
  | { kind: "choice"; id: string }
  | { kind: "location"; lat: number; lng: number }
  /** What the host found for a `find` step (opportunities near the family). Never from a platform. */
  | { kind: "found"; nearby: NearbyItem[] }
  | {
      kind: "media";
      media: "photo" | "video" | "voice" | "audio" | "sticker" | "document" | "other";
    };

/** An upcoming opportunity near a family, as the engine writes it. */
export interface NearbyItem {
  id: string;
  /** Language -> text. */
  title: Record<string, string>;
  description: Record<string, string>;
  startsAt: string;
  timezone: string;
  place: string;
  km: number;
  cost: string;
  link?: string;
}

/** What a `find` step asks the host to look up. */
export interface Lookup {
  kind: "nearby";
  lat: number;
  lng: number;
  radiusKm: number;
  ageMonths: number[];
}

export interface Inbound {
  familyId: FamilyId;
  event: InboundEvent;
  /** What the platform tells of the person's language (e.g. Telegram `language_code`), if anything. */
  localeHint?: string;
}

export interface Choice {
  /** Stable id sent back when picked (fits in Telegram's 64-byte callback data). */
  id: string;
  /** What the parent sees: at most 24 characters. */
  label: string;
}

/** One message to a family, already in their language. */
export type Outbound =
  | { kind: "text"; text: string; choices?: Choice[] }
  /** Ask the family to share a location (a native button where the platform has one). */
  | { kind: "location-request"; text: string; choices?: Choice[] };

/** A child, known by birth month only ("YYYY-MM"), never a birth date or a name. */
export interface Child {
  birthMonth: string;
}

/** What Sprout keeps about a family until they say `delete`. */
export interface Profile {
  locale?: string;
  /** true: agreed to keep children, interests and area; false: declined; undefined: not asked yet. */
  consent?: boolean;
  children: Child[];
  interests: Mode[];
  /** Activity ids shown, newest last (bounded). */
  recent: string[];
  /** Activity id -> 1 (liked) or -1 (not for us). */
  feedback: Record<string, 1 | -1>;
  /** Said `stop`: no proactive messages. */
  optedOut: boolean;
  /** Counts suggestions, to vary which child an idea is for. */
  suggestions: number;
  /** The platform said this family cannot be reached (blocked the bot, number invalid). */
  unreachable?: boolean;
  /** When the family last wrote (ms since epoch): WhatsApp's 24-hour window. */
  lastInboundAt?: number;
  /** Bilingual mode: every message also in this language. */
  secondLocale?: string;
  /** "Too hard" (< 0) … "too easy" (> 0), -1..1: where in a child's range ideas are pitched. */
  stretch?: number;
  /** Where the family is, rounded to about 1 km (only with consent). */
  area?: { lat: number; lng: number };
  /** The family's time zone (IANA), once known. */
  tz?: string;
  /** Weekly tips, when subscribed. */
  tips?: TipsSubscription;
  /** A tip that could not be sent (WhatsApp outside 24 hours): sent when the family next writes. */
  pendingTip?: { slot: number };
  /** How far `nearby` looks (km); 5 unless widened. */
  radiusKm?: number;
  /** Agreed to hear about opportunities near them (nearby, broadcasts). */
  opportunities?: boolean;
  /** Opportunities the family asked to be reminded of (id -> reminder time, ms). */
  reminders?: Record<string, number>;
  /** Opportunities the family said it is not interested in (newest last, bounded). */
  dismissed?: string[];
}

/** Weekly tips: how many, which local weekdays (0 = Sunday) and time, in which zone. */
export interface TipsSubscription {
  perWeek: number;
  days: number[];
  hour: number;
  minute: number;
  tz: string;
  /** The week ("YYYY-MM-DD" of its Monday) and the activity its tips are about. */
  week?: string;
  activity?: string;
  /** Activity ids of past weeks' tips, newest last: none comes again within a year. */
  seen?: string[];
}

/** Where a family is in a conversation; expires. */
export interface Session {
  flow: string;
  step: string;
  vars: Record<string, string>;
  /** The choices last offered, so "2" or a word picks one. */
  choices: Choice[];
}

export interface FamilyState {
  profile: Profile;
  session: Session | null;
}

export function newProfile(): Profile {
  return { children: [], interests: [], recent: [], feedback: {}, optedOut: false, suggestions: 0 };
}
