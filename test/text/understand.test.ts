import { describe, expect, it } from "vitest";
import { parseAge, parseMinutes, parseRequest } from "../../src/text/understand.ts";
import { realContent } from "../helpers/content.ts";

const en = () => realContent().speech.lexicon("en");
const es = () => realContent().speech.lexicon("es");

describe("ages", () => {
  it.each([
    ["4", 48],
    ["18 months", 18],
    ["2 and a half", 30],
    ["two and a half years", 30],
    ["2½", 30],
    ["2 1/2", 30],
    ["she's 7 yo", 84],
    ["six weeks", 1],
    ["11 months old", 11],
    ["18", 18],
  ])("English answer %j is %i months", (text, months) => {
    expect(parseAge(text, en(), { bare: true })).toBe(months);
  });

  it.each([
    ["tiene 3 años", 36],
    ["dos años y medio", 30],
    ["18 meses", 18],
    ["mi hija de 5 añitos", 60],
    ["un año", 12],
  ])("Spanish answer %j is %i months", (text, months) => {
    expect(parseAge(text, es(), { bare: true })).toBe(months);
  });

  it("finds no age where there is none", () => {
    expect(parseAge("hello there", en(), { bare: true })).toBeUndefined();
    expect(parseAge("🙂", en(), { bare: true })).toBeUndefined();
    expect(parseAge("75", en(), { bare: true })).toBeUndefined();
  });

  it("needs a unit in a free request (a bare number may be minutes or anything)", () => {
    expect(parseAge("give me 4", en())).toBeUndefined();
    expect(parseAge("for my 4 year old", en())).toBe(48);
  });

  it("reads Arabic-Indic and Devanagari digits", () => {
    expect(parseAge("٤ years", en())).toBe(48);
    expect(parseAge("३ años", es())).toBe(36);
  });
});

describe("minutes", () => {
  it.each([
    ["10 minutes", 10],
    ["half an hour", 30],
    ["1 hour", 60],
    ["15 mins", 15],
    ["15mins", 15],
  ])("English %j is %i", (text, n) => expect(parseMinutes(text, en())).toBe(n));

  it.each([
    ["15 minutos", 15],
    ["media hora", 30],
    ["una hora", 60],
  ])("Spanish %j is %i", (text, n) => expect(parseMinutes(text, es())).toBe(n));
});

describe("quick requests", () => {
  it("reads age, minutes and setting in English", () => {
    expect(parseRequest("something for my 4 year old, 10 minutes, rainy day", en())).toEqual({
      ageMonths: 48,
      minutes: 10,
      wet: true,
    });
  });

  it("reads age, minutes and setting in Spanish", () => {
    expect(parseRequest("idea para mi hija de 3 años, 15 minutos, en casa", es())).toEqual({
      ageMonths: 36,
      minutes: 15,
      setting: "home",
    });
  });

  it("reads energy, outdoors and interests", () => {
    expect(
      parseRequest("half an hour in the park, he is full of energy and loves bugs", en()),
    ).toEqual({
      minutes: 30,
      setting: "outdoors",
      energy: "active",
      interests: ["nature"],
    });
    expect(parseRequest("algo tranquilo en el autobús, le encanta dibujar", es())).toEqual({
      setting: "out",
      energy: "calm",
      interests: ["arts"],
    });
  });

  it("understands nothing in small talk", () => {
    expect(parseRequest("thank you so much!", en())).toEqual({});
  });
});

describe("languages that put the unit first (Swahili)", () => {
  const sw = () => realContent().speech.lexicon("sw");
  it.skipIf(!realContent().speech.locales.includes("sw"))(
    "reads miezi 6, miaka 2 na nusu, dakika 10",
    () => {
      expect(parseAge("miezi 6", sw(), { bare: true })).toBe(6);
      expect(parseAge("miaka 2 na nusu", sw(), { bare: true })).toBe(30);
      expect(parseRequest("mtoto wa miaka 4, dakika 10", sw())).toMatchObject({
        ageMonths: 48,
        minutes: 10,
      });
    },
  );
});

describe("Vietnamese", () => {
  const vi = () => realContent().speech.lexicon("vi");
  it("reads ages, minutes, setting and weather", () => {
    expect(parseAge("bé 18 tháng", vi(), { bare: true })).toBe(18);
    expect(parseAge("2 tuổi rưỡi", vi(), { bare: true })).toBe(30);
    expect(parseAge("bốn tuổi", vi(), { bare: true })).toBe(48);
    expect(parseRequest("con tôi 4 tuổi, 10 phút, trời mưa", vi())).toMatchObject({
      ageMonths: 48,
      minutes: 10,
      wet: true,
    });
    expect(parseRequest("ở nhà, yên tĩnh, nửa tiếng", vi())).toMatchObject({
      setting: "home",
      energy: "calm",
      minutes: 30,
    });
  });
});

describe("Ukrainian", () => {
  const uk = () => realContent().speech.lexicon("uk");
  const hasUk = realContent().speech.locales.includes("uk");
  it.skipIf(!hasUk)("reads ages with case endings, halves and apostrophes", () => {
    expect(parseAge("4 роки", uk(), { bare: true })).toBe(48);
    expect(parseAge("18 місяців", uk(), { bare: true })).toBe(18);
    expect(parseAge("два з половиною роки", uk(), { bare: true })).toBe(30);
    expect(parseAge("півтора року", uk(), { bare: true })).toBe(18);
    expect(parseAge("п’ять років", uk(), { bare: true })).toBe(60);
    expect(parseAge("для 4-річної дитини", uk())).toBe(48);
    expect(parseAge("3-х років", uk())).toBe(36);
  });

  it.skipIf(!hasUk)("does not read a number inside a word with an apostrophe", () => {
    expect(parseAge("сім'я", uk(), { bare: true })).toBeUndefined();
    expect(parseAge("сім років", uk(), { bare: true })).toBe(84);
  });

  it.skipIf(!hasUk)("reads minutes, setting and weather; rain outside is no outdoor wish", () => {
    expect(parseRequest("щось для доньки 4 роки, 10 хвилин, надворі дощ", uk())).toEqual({
      ageMonths: 48,
      minutes: 10,
      wet: true,
    });
    expect(parseRequest("вдома, спокійне, пів години", uk())).toMatchObject({
      setting: "home",
      energy: "calm",
      minutes: 30,
    });
    expect(parseRequest("в маршрутці, 10хв", uk())).toEqual({ setting: "out", minutes: 10 });
    expect(parseRequest("на вулиці, активне", uk())).toMatchObject({
      setting: "outdoors",
      energy: "active",
    });
  });
});
