import { describe, expect, it } from "vitest";
import { recommend } from "../../src/catalog/recommend.ts";
import type { Activity } from "../../src/catalog/schema.ts";
import { seasonAt } from "../../src/core/suggest.ts";
import { realContent } from "../helpers/content.ts";
import { activityTitle, choiceIds, conversation, texts } from "../helpers/conversation.ts";

const content = () => realContent();
const t = (key: string, vars?: Record<string, string | number>, lng = "en") =>
  content().speech.t(lng, key, vars);
const byTitle = (title: string | undefined) =>
  content().catalog.activities.find((a) => a.text.title === title);

describe("bilingual mode", () => {
  it("writes every message in both languages once a second one is chosen, and can be switched off", async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "no"]);
    const menu = await chat.script(["settings", "Two languages"]);
    expect(texts(menu)).toBe(t("bilingual.question"));
    expect(choiceIds(menu)).toEqual([...content().speech.locales.filter((l) => l !== "en"), "off"]);
    const on = await chat.say("Español");
    expect(texts(on)).toContain(t("bilingual.on", { first: "English", second: "Español" }));
    expect(texts(on)).toContain(t("bilingual.on", { first: "English", second: "Español" }, "es"));
    const idea = await chat.say("idea");
    const all = texts(idea);
    expect(all).toContain("You need:");
    expect(all).toContain("Necesitas:");
    for (const m of idea) expect(m.text.length).toBeLessThanOrEqual(1000);
    expect(idea.at(-1)?.choices?.length).toBeGreaterThan(0);
    await chat.script(["settings", "Two languages"]);
    await chat.say("off");
    expect(texts(await chat.say("help"))).toBe(t("help.text"));
  });
});

describe("forwarding to another caregiver", () => {
  it("writes the last idea in the named language, ready to forward", async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "no"]);
    const idea = await chat.say("idea");
    const activity = byTitle(activityTitle(idea)) as Activity;
    const out = await chat.say("send this to grandma in Spanish");
    expect(out[0]?.text).toBe(t("forward.intro", { language: "Español" }));
    expect(out[1]?.text).toContain(content().catalog.text(activity.id, "es").title);
    expect(out[1]?.text).toContain("Necesitas:");
  });

  it("without an idea yet, or in a language not spoken yet, says so", async () => {
    const chat = conversation();
    await chat.say("tips");
    expect(texts(await chat.say("send this to grandma in Spanish"))).toBe(t("forward.no_idea"));
    const missing = ["uk", "fr", "pt", "ar", "zh", "hi", "sw", "vi"].find(
      (l) => !content().speech.locales.includes(l),
    );
    if (missing) {
      const name = {
        uk: "Ukrainian",
        fr: "French",
        pt: "Portuguese",
        ar: "Arabic",
        zh: "Chinese",
        hi: "Hindi",
        sw: "Swahili",
        vi: "Vietnamese",
      }[missing];
      const out = await chat.say(`forward this to grandpa in ${name}`);
      expect(texts(out)).toContain(
        t("forward.unsupported", {
          languages: content()
            .speech.locales.map((l) => t("language.name", {}, l))
            .join(", "),
        }),
      );
    }
  });
});

describe("feedback: too hard, too easy", () => {
  it("too hard stores a lower stretch; the recommender then pitches toward the easier end", async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "yes", "6", "done", "done"]);
    await chat.script(["We tried it"]);
    expect(texts(await chat.say("Too hard"))).toBe(t("feedback.thanks_hard"));
    expect((await chat.store.loadFamily(chat.familyId))?.profile.stretch).toBe(-0.5);

    const activities = content().catalog.activities;
    const centre = (stretch: number) => {
      const picks = Array.from({ length: 60 }, (_, seed) =>
        recommend({
          activities,
          ageMonths: 72,
          interests: [],
          feedback: {},
          recent: [],
          stretch,
          seed,
        }),
      );
      return (
        picks.reduce(
          (s, r) => s + ((r?.activity.ages[0] ?? 0) + (r?.activity.ages[1] ?? 0)) / 2,
          0,
        ) / picks.length
      );
    };
    expect(centre(-1)).toBeLessThan(centre(0));
    expect(centre(1)).toBeGreaterThan(centre(0));
  });
});

describe("children together", () => {
  it("a free-text request for two ages gives an idea that suits both", async () => {
    const out = await conversation().say("something for my 3 and 7 year old together");
    const a = byTitle(activityTitle(out)) as Activity;
    expect(a.ages[0]).toBeLessThanOrEqual(36);
    expect(a.ages[1]).toBeGreaterThanOrEqual(84);
    expect(texts(out)).toContain("For 3 yrs + 7 yrs together");
  });

  it("a family with two children gets a 'for all of them' button", async () => {
    const chat = conversation();
    const first = await chat.script(["hi", "1", "yes", "2", "add", "9", "done", "done"]);
    expect(choiceIds(first)).toContain("both");
    const out = await chat.pick("both");
    const a = byTitle(activityTitle(out)) as Activity;
    const spans = a.ages[0] <= 24 && a.ages[1] >= 108;
    if (spans) expect(texts(out)).toContain("For 2 yrs + 9 yrs together");
    else {
      expect(texts(out)).toContain(t("activity.relaxed_together"));
      expect(a.ages[0]).toBeLessThanOrEqual(24);
      expect(a.ages[1]).toBeGreaterThanOrEqual(24);
    }
  });
});

describe("weather, dark and season", () => {
  it("rain never suggests a dry-weather activity; dark never one that needs daylight", async () => {
    for (let i = 0; i < 15; i++) {
      const wet = byTitle(
        activityTitle(
          await conversation({ familyId: `console:wet${i}` }).say("rainy day, 5 year old"),
        ),
      );
      expect(wet?.weather).not.toBe("dry");
      const dark = byTitle(
        activityTitle(
          await conversation({ familyId: `console:dark${i}` }).say("it's dark already, 8 year old"),
        ),
      );
      expect(dark?.daylight).toBe(false);
    }
  });

  it("knows the season by month and hemisphere", () => {
    expect(seasonAt(new Date("2026-12-10T12:00:00Z"), 51.5)).toBe("winter");
    expect(seasonAt(new Date("2026-12-10T12:00:00Z"), -33.9)).toBe("summer");
    expect(seasonAt(new Date("2026-04-10T12:00:00Z"), -33.9)).toBe("autumn");
  });

  it("out-of-season activities are never suggested when the area is known", () => {
    const activities = content().catalog.activities;
    for (let seed = 0; seed < 200; seed++) {
      const r = recommend({
        activities,
        ageMonths: seed % 144,
        interests: [],
        feedback: {},
        recent: [],
        season: "winter",
        seed,
      });
      if (r?.activity.seasons) expect(r.activity.seasons).toContain("winter");
    }
  });

  it("a shared location is kept, rounded to about 1 km, only with consent", async () => {
    const yes = conversation();
    await yes.script(["hi", "1", "yes", "4", "done", "done"]);
    await yes.send({ kind: "location", lat: 40.416775, lng: -3.70379 });
    expect((await yes.store.loadFamily(yes.familyId))?.profile.area).toEqual({
      lat: 40.42,
      lng: -3.7,
    });
    const no = conversation();
    await no.script(["hi", "1", "no"]);
    await no.send({ kind: "location", lat: 40.416775, lng: -3.70379 });
    expect((await no.store.loadFamily(no.familyId))?.profile.area).toBeUndefined();
  });
});
