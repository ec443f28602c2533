import { describe, expect, it } from "vitest";
import { newProfile } from "../../src/core/types.ts";
import { runTurn, STEP_LIMIT } from "../../src/flows/engine.ts";
import { loadFlows } from "../../src/flows/load.ts";
import { realContent } from "../helpers/content.ts";
import { activityTitle, choiceIds, conversation, NOW, texts } from "../helpers/conversation.ts";

const t = (key: string, vars?: Record<string, string | number>, lng = "en") =>
  realContent().speech.t(lng, key, vars);

describe("idea at once", () => {
  it("gives one activity on the first message, asking nothing first", async () => {
    const out = await conversation().say("idea");
    expect(out).toHaveLength(1);
    expect(activityTitle(out)).toBeDefined();
    expect(choiceIds(out)).toContain("about_child");
  });

  it("uses what is known: the child's age", async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "yes", "7", "That's all", "That's all"]);
    const { catalog } = realContent();
    for (let i = 0; i < 8; i++) {
      const out = await chat.say("idea");
      const a = catalog.activities.find((x) => x.text.title === activityTitle(out));
      expect(a?.ages[0]).toBeLessThanOrEqual(84);
      expect(a?.ages[1]).toBeGreaterThanOrEqual(84);
    }
  });
});

describe("free text", () => {
  it("reads a quick request in English and honours it", async () => {
    const out = await conversation().say("something for my 4 year old, 10 minutes, rainy day");
    const a = realContent().catalog.activities.find((x) => x.text.title === activityTitle(out));
    expect(a?.weather).not.toBe("dry");
    expect(a?.minutes).toBeLessThanOrEqual(10);
    expect(texts(out)).toContain("For your 4-year-old");
  });

  it("reads a quick request in Spanish and answers in Spanish", async () => {
    const chat = conversation();
    await chat.script(["hola", "español", "no"]);
    const out = await chat.say("idea para mi hija de 3 años, 15 minutos, en casa");
    expect(texts(out)).toContain("Para tu peque de 3 años");
    expect(texts(out)).toContain("Necesitas:");
  });

  it("after an activity: calmer, indoors and shorter each change the next one", async () => {
    const chat = conversation();
    const { catalog } = realContent();
    const find = (out: Awaited<ReturnType<typeof chat.say>>) =>
      catalog.activities.find((x) => x.text.title === activityTitle(out));
    let out = await chat.say("something active for my 6 year old");
    expect(find(out)?.energy).toBe("active");
    out = await chat.pick("calmer");
    expect(find(out)?.energy).toBe("calm");
    out = await chat.pick("outdoors");
    expect(find(out)?.setting).toBe("outdoors");
    const before = find(out)?.minutes ?? 0;
    if (choiceIds(out).includes("shorter")) {
      out = await chat.pick("shorter");
      expect(find(out)?.minutes).toBeLessThan(before);
    }
  });
});

describe("feedback", () => {
  it("remembers 👍 / 👎 in the profile", async () => {
    const chat = conversation();
    const first = await chat.say("idea");
    await chat.say("We tried it");
    const out = await chat.say("👎");
    expect(texts(out)).toBe(t("feedback.thanks_down"));
    const state = await chat.store.loadFamily(chat.familyId);
    const id = realContent().catalog.activities.find((a) => a.text.title === activityTitle(first))
      ?.id as string;
    expect(state?.profile.feedback[id]).toBe(-1);
  });
});

describe("anything unexpected gets a short, kind answer", () => {
  const setUp = async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "no"]);
    return chat;
  };

  it.each([
    ["emoji only", "🙂🙂"],
    ["an empty line", ""],
    ["an unknown language", "Ich hätte gern eine Idee für morgen"],
    ["gibberish", "asdf qwer"],
  ])("%s", async (_, text) => {
    const chat = await setUp();
    const shown = await chat.say("idea");
    const out = await chat.say(text);
    expect(out).toHaveLength(1);
    expect(out[0]?.text).toBe(t("idle.fallback"));
    expect(choiceIds(out)).toEqual(choiceIds(shown));
    const idle = conversation();
    await idle.script(["hi", "1", "no", "help"]);
    const answer = await idle.say(text);
    expect(texts(answer)).toBe(t("idle.fallback"));
    expect(choiceIds(answer)).toEqual(["idea", "help"]);
  });

  it("10 000 characters", async () => {
    const out = await (await setUp()).say("a".repeat(10_000));
    expect(texts(out)).toBe(t("idle.too_long"));
  });

  it("a photo or a voice note", async () => {
    const chat = await setUp();
    for (const media of ["photo", "voice"] as const) {
      const out = await chat.send({ kind: "media", media });
      expect(texts(out)).toBe(t("idle.media"));
    }
  });

  it("a wrong answer mid-flow repeats the question kindly, keeping the choices", async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "yes"]);
    const out = await chat.say("banana");
    expect(texts(out)).toBe(t("onboarding.age_retry"));
    const older = await chat.say("40");
    expect(texts(older)).toBe(t("onboarding.age_retry"));
    const tooOld = await chat.say("14 years");
    expect(texts(tooOld)).toBe(t("onboarding.age_too_old"));
  });

  it("a stale button press says the choice expired and offers help", async () => {
    const out = await (await setUp()).pick("up");
    expect(texts(out)).toBe(t("idle.choices_expired"));
  });
});

describe("limits", () => {
  it("keeps every message under 1000 characters, at most 10 choices of at most 24 characters", async () => {
    for (const locale of ["en", "es"]) {
      const chat = conversation({ familyId: `console:limits-${locale}` });
      const lines = [
        "hi",
        locale === "en" ? "1" : "2",
        "yes",
        "2",
        "add",
        "9 months",
        "done",
        "nature",
        "done",
      ];
      for (const line of [...lines, ...Array(30).fill("1"), "help", "settings", "3", "done"]) {
        for (const m of await chat.say(line)) {
          expect(m.text.length).toBeLessThanOrEqual(1000);
          expect((m.choices ?? []).length).toBeLessThanOrEqual(10);
          for (const c of m.choices ?? []) expect(c.label.length).toBeLessThanOrEqual(24);
        }
      }
    }
  });
});

describe("settings", () => {
  it("changing children keeps the old ones until a new age is given", async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "yes", "4", "done", "done"]);
    await chat.script(["settings", "children"]);
    expect((await chat.store.loadFamily(chat.familyId))?.profile.children).toHaveLength(1);
    await chat.say("help");
    expect((await chat.store.loadFamily(chat.familyId))?.profile.children).toHaveLength(1);
    await chat.script(["settings", "children", "2", "done"]);
    const children = (await chat.store.loadFamily(chat.familyId))?.profile.children;
    expect(children).toEqual([{ birthMonth: "2024-11" }]);
  });
});

describe("stop and delete", () => {
  it("stop opts out of proactive messages; start opts back in", async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "no", "stop"]);
    expect((await chat.store.loadFamily(chat.familyId))?.profile.optedOut).toBe(true);
    const out = await chat.say("start");
    expect(texts(out)).toBe(t("idle.welcome_back"));
    expect((await chat.store.loadFamily(chat.familyId))?.profile.optedOut).toBe(false);
  });

  it("delete asks first, then nothing of the family remains", async () => {
    const chat = conversation();
    await chat.script(["hi", "1", "yes", "4", "done", "nature", "done", "idea"]);
    expect(await chat.store.loadFamily(chat.familyId)).not.toBeNull();
    await chat.say("delete");
    expect(await chat.store.loadFamily(chat.familyId)).not.toBeNull();
    const out = await chat.say("Yes, delete all");
    expect(texts(out)).toBe(t("delete.done"));
    expect(await chat.store.loadFamily(chat.familyId)).toBeNull();
    expect(
      (chat.store as unknown as { keys(): string[] })
        .keys()
        .filter((k) => k.includes(chat.familyId)),
    ).toEqual([]);
  });
});

describe("the engine", () => {
  it("is pure: the state given is not changed", () => {
    const state = { profile: newProfile(), session: null };
    const before = JSON.stringify(state);
    runTurn(realContent(), state, { kind: "text", text: "hi" }, { now: NOW, seed: 1 });
    expect(JSON.stringify(state)).toBe(before);
  });

  it("stops a looping flow at the step limit with a kind answer", () => {
    const flows = loadFlows([
      {
        file: "flows/onboarding.yaml",
        data: { id: "onboarding", steps: [{ id: "a", type: "goto", flow: "idea" }] },
      },
      {
        file: "flows/idea.yaml",
        data: { id: "idea", steps: [{ id: "b", type: "goto", flow: "onboarding" }] },
      },
    ]);
    const r = runTurn(
      { ...realContent(), flows },
      { profile: newProfile(), session: null },
      { kind: "text", text: "x" },
      {
        now: NOW,
        seed: 1,
      },
    );
    expect(r.out.map((m) => m.text)).toEqual([t("idle.fallback")]);
    expect(STEP_LIMIT).toBeGreaterThan(10);
  });
});
