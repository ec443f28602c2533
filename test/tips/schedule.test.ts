import { describe, expect, it } from "vitest";
import {
  afterQuiet,
  isQuiet,
  localTime,
  nextSlot,
  slotPart,
  zonedInstant,
} from "../../src/tips/schedule.ts";
import { offsetLabel, zoneFromText, zonesFor } from "../../src/tips/timezone.ts";

const plan = (tz: string, days = [1, 3, 5], hour = 18, minute = 0) => ({ days, hour, minute, tz });

describe("when a tip falls due", () => {
  it("is the next chosen weekday at the chosen local hour", () => {
    // Saturday 2026-11-28 12:00 UTC; Kyiv is UTC+2 in winter.
    const at = nextSlot(plan("Europe/Kyiv"), new Date("2026-11-28T12:00:00Z"));
    expect(at.toISOString()).toBe("2026-11-30T16:00:00.000Z"); // Monday 18:00 in Kyiv
    expect(nextSlot(plan("Europe/Kyiv"), at).toISOString()).toBe("2026-12-02T16:00:00.000Z");
  });

  it("keeps the local hour across daylight-saving changes on different dates", () => {
    // London moves on 29 March 2026, New York on 8 March 2026.
    const london = plan("Europe/London", [1], 18);
    expect(nextSlot(london, new Date("2026-03-24T00:00:00Z")).toISOString()).toBe(
      "2026-03-30T17:00:00.000Z",
    );
    expect(nextSlot(london, new Date("2026-03-17T00:00:00Z")).toISOString()).toBe(
      "2026-03-23T18:00:00.000Z",
    );
    const ny = plan("America/New_York", [1], 18);
    expect(nextSlot(ny, new Date("2026-03-10T00:00:00Z")).toISOString()).toBe(
      "2026-03-16T22:00:00.000Z",
    );
    expect(nextSlot(ny, new Date("2026-03-03T00:00:00Z")).toISOString()).toBe(
      "2026-03-09T22:00:00.000Z",
    );
  });

  it("handles half-hour zones (UTC+5:30, UTC−3:30)", () => {
    const kolkata = nextSlot(plan("Asia/Kolkata", [3], 8, 30), new Date("2026-12-01T00:00:00Z"));
    expect(kolkata.toISOString()).toBe("2026-12-02T03:00:00.000Z");
    const stJohns = nextSlot(plan("America/St_Johns", [3], 20), new Date("2026-12-01T00:00:00Z"));
    expect(stJohns.toISOString()).toBe("2026-12-02T23:30:00.000Z");
    expect(offsetLabel("Asia/Kolkata", stJohns)).toBe("UTC+5:30");
    expect(offsetLabel("America/St_Johns", stJohns)).toBe("UTC−3:30");
  });

  it("knows quiet hours and the first moment after them", () => {
    expect(isQuiet(new Date("2026-12-02T19:30:00Z"), "Europe/Kyiv")).toBe(true); // 21:30
    expect(isQuiet(new Date("2026-12-02T05:59:00Z"), "Europe/Kyiv")).toBe(true); // 07:59
    expect(isQuiet(new Date("2026-12-02T06:00:00Z"), "Europe/Kyiv")).toBe(false); // 08:00
    const after = afterQuiet(new Date("2026-12-02T19:30:00Z"), "Europe/Kyiv");
    expect(after.toISOString()).toBe("2026-12-03T06:00:00.000Z");
  });

  it("moves a time skipped by a clock change forward, as clocks do", () => {
    const at = zonedInstant("Europe/London", {
      year: 2026,
      month: 3,
      day: 29,
      hour: 1,
      minute: 30,
    });
    expect(localTime(at, "Europe/London").hour).toBe(2);
  });

  it("numbers the week's slots Monday first (Sunday is last)", () => {
    const p = plan("UTC", [0, 2, 4]);
    expect(slotPart(p, new Date("2026-12-01T18:00:00Z"))).toBe(0); // Tuesday
    expect(slotPart(p, new Date("2026-12-06T18:00:00Z"))).toBe(2); // Sunday
  });
});

describe("a family's time zone", () => {
  const now = new Date("2026-11-28T12:00:00Z");
  it("comes from the number's country, one choice per offset where there are several", () => {
    expect(zonesFor("whatsapp:+254712345678", undefined, now)).toEqual(["Africa/Nairobi"]);
    expect(zonesFor("whatsapp:+34600000000", undefined, now)).toEqual([
      "Atlantic/Canary",
      "Europe/Madrid",
    ]);
    const us = zonesFor("whatsapp:+14155238886", undefined, now);
    expect(us).toContain("America/New_York");
    expect(us).toContain("America/Los_Angeles");
  });

  it("comes from the shared area before the number", () => {
    expect(zonesFor("whatsapp:+34600000000", { lat: 50.45, lng: 30.52 }, now)).toEqual([
      "Europe/Kyiv",
    ]);
    expect(zonesFor("telegram:1", undefined, now)).toEqual([]);
  });

  it("is read from a typed city", () => {
    expect(zoneFromText("los angeles")).toBe("America/Los_Angeles");
    expect(zoneFromText("Kiev")).toBe("Europe/Kyiv");
    expect(zoneFromText("Europe/Madrid")).toBe("Europe/Madrid");
    expect(zoneFromText("Atlantis")).toBeUndefined();
    expect(zoneFromText("UTC+3")).toBe("Etc/GMT-3");
    expect(zoneFromText("gmt -5")).toBe("Etc/GMT+5");
    expect(zoneFromText("+0")).toBe("UTC");
  });
});
