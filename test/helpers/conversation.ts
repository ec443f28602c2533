import { createPipeline } from "../../src/core/pipeline.ts";
import type { InboundEvent, Outbound } from "../../src/core/types.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import type { Store } from "../../src/store/store.ts";
import { realContent } from "./content.ts";

/** A fixed clock: 2026-11-28 12:00 UTC. */
export const NOW = new Date("2026-11-28T12:00:00Z");

/**
 * Talks to Sprout like a parent in a test: `say("hi")` returns what Sprout answered.
 * @example const chat = conversation(); const out = await chat.say("hi");
 */
export function conversation(
  opts: { store?: Store; familyId?: string; localeHint?: string; now?: () => Date } = {},
) {
  const store = opts.store ?? createMemoryStore();
  const familyId = opts.familyId ?? "console:test";
  const pipeline = createPipeline({ store, content: realContent(), now: opts.now ?? (() => NOW) });
  const send = async (event: InboundEvent): Promise<Outbound[]> =>
    (await pipeline.handle({ familyId, event, localeHint: opts.localeHint })) ?? [];
  return {
    store,
    familyId,
    say: (text: string) => send({ kind: "text", text }),
    pick: (id: string) => send({ kind: "choice", id }),
    send,
    /** Runs several lines and returns only what the last one answered. */
    async script(lines: string[]) {
      let out: Outbound[] = [];
      for (const line of lines) out = await send({ kind: "text", text: line });
      return out;
    },
  };
}

/** All texts of a reply, joined. */
export const texts = (out: Outbound[]) => out.map((m) => m.text).join("\n---\n");
/** The choice ids of the last message of a reply. */
export const choiceIds = (out: Outbound[]) => (out.at(-1)?.choices ?? []).map((c) => c.id);
/** The activity title (the line after 🌱) in a reply, if any. */
export const activityTitle = (out: Outbound[]) => /🌱 (.+) · \d+ min/.exec(texts(out))?.[1];
