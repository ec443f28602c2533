import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { realContent } from "../helpers/content.ts";
import { conversation } from "../helpers/conversation.ts";

/**
 * Golden conversations: a file of turns, each a parent's line and the messages expected back,
 * named by i18n key (so the test follows the words, not a copy of them) or as an activity.
 */
const expected = z.union([
  z.strictObject({
    key: z.string(),
    vars: z.record(z.string(), z.string()).optional(),
    choices: z.array(z.string()).optional(),
  }),
  z.strictObject({
    activity: z.literal(true),
    for: z.string().optional(),
    setting: z.enum(["home", "outdoors", "out"]).optional(),
    /** Choice ids in order; "*" allows any further ones. */
    choices: z.array(z.string()).optional(),
  }),
]);
const goldenSchema = z.strictObject({
  family: z.string(),
  turns: z.array(
    z.strictObject({ in: z.string(), locale: z.string().optional(), out: z.array(expected) }),
  ),
});

const dir = join(import.meta.dirname, "golden");

describe.each(readdirSync(dir).filter((f) => f.endsWith(".yaml")))("golden %s", (file) => {
  const golden = goldenSchema.parse(parse(readFileSync(join(dir, file), "utf8")));
  it("answers every turn as written", async () => {
    const { speech, catalog } = realContent();
    const chat = conversation({ familyId: golden.family });
    let locale = "en";
    for (const [n, turn] of golden.turns.entries()) {
      locale = turn.locale ?? locale;
      const out = await chat.say(turn.in);
      const where = `${file} turn ${n + 1} (${JSON.stringify(turn.in)})`;
      expect(out.length, `${where}: ${JSON.stringify(out.map((m) => m.text))}`).toBe(
        turn.out.length,
      );
      turn.out.forEach((want, i) => {
        const got = out[i];
        if (!got) throw new Error(`${where}: message ${i + 1} missing`);
        const ids = (got.choices ?? []).map((c) => c.id);
        if ("key" in want) {
          expect(got.text, where).toBe(speech.t(locale, want.key, want.vars));
          // "$languages": every language Sprout speaks, in the order offered.
          const choices = want.choices?.flatMap((c) =>
            c === "$languages" ? [...speech.locales] : [c],
          );
          if (choices) expect(ids, where).toEqual(choices);
        } else {
          const title = /^🌱 (.+) · \d+ min$/m.exec(got.text)?.[1];
          const activity = catalog.activities.find(
            (a) => catalog.text(a.id, locale).title === title,
          );
          expect(activity, `${where}: no activity in ${got.text}`).toBeDefined();
          if (want.for) expect(got.text, where).toContain(want.for);
          if (want.setting) expect(activity?.setting, where).toBe(want.setting);
          if (want.choices) {
            const fixed = want.choices.filter((c) => c !== "*");
            expect(ids.slice(0, fixed.length), where).toEqual(fixed);
            if (!want.choices.includes("*")) expect(ids.length, where).toBe(fixed.length);
          }
          expect(got.text.length, where).toBeLessThanOrEqual(1000);
        }
      });
    }
  });
});
