import { describe, expect, it } from "vitest";
import { realContent } from "../helpers/content.ts";

const detect = (text: string) => realContent().speech.detect(text);

describe("the language of a message", () => {
  it.each([
    ["hola", "es"],
    ["Hola, necesito una idea para mi hija", "es"],
    ["idea para mi hija de 3 años, 15 minutos, en casa", "es"],
    ["hi", "en"],
    ["Xin chào, con tôi 3 tuổi", "vi"],
    ["something for my 4 year old, 10 minutes, rainy day", "en"],
  ])("%j is %s", (text, lng) => expect(detect(text)).toBe(lng));

  it.each(["1", "👍", "ok", "Guten Tag, ich hätte gern eine Idee"])("%j is unclear", (text) => {
    expect(detect(text)).toBeUndefined();
  });

  it("a Spanish first message is answered in Spanish, whatever the platform said", async () => {
    const { conversation } = await import("../helpers/conversation.ts");
    const out = await conversation({ localeHint: "en" }).say("hola, ¿me das una idea?");
    expect(out[0]?.text).toBe(realContent().speech.t("es", "onboarding.greeting"));
  });
});
