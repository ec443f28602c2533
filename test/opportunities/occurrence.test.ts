import { describe, expect, it } from "vitest";
import {
  expiresAt,
  fromWallClock,
  nextOccurrence,
  wallClock,
} from "../../src/opportunities/occurrence.ts";

const at = (iso: string) => new Date(iso);
const one = {
  startsAt: "2030-03-23T10:00:00.000Z",
  endsAt: "2030-03-23T11:00:00.000Z",
  timezone: "Europe/London",
};

describe("nextOccurrence", () => {
  it("a one-off is itself until it ends", () => {
    const whole = { startsAt: at(one.startsAt), endsAt: at(one.endsAt) };
    expect(nextOccurrence(one, at("2030-01-01T00:00:00Z"))).toEqual(whole);
    expect(nextOccurrence(one, at("2030-03-23T10:59:59Z"))).toEqual(whole);
    expect(nextOccurrence(one, at("2030-03-23T11:00:00Z"))).toBeUndefined();
    expect(expiresAt(one)).toBe(Date.parse(one.endsAt));
  });

  it("weekly keeps 10:00 Saturday in London across the October change", () => {
    // 19 Oct 2030 10:00 BST = 09:00Z; clocks go back on Sunday 27 October.
    const o = {
      startsAt: "2030-10-19T09:00:00.000Z",
      endsAt: "2030-10-19T10:30:00.000Z",
      timezone: "Europe/London",
      repeat: { weekly: true as const, until: "2030-11-30" },
    };
    expect(nextOccurrence(o, at("2030-10-19T10:00:00Z"))?.startsAt).toEqual(
      at("2030-10-19T09:00:00Z"),
    );
    expect(nextOccurrence(o, at("2030-10-20T00:00:00Z"))).toEqual({
      startsAt: at("2030-10-26T09:00:00Z"),
      endsAt: at("2030-10-26T10:30:00Z"),
    });
    expect(nextOccurrence(o, at("2030-10-27T00:00:00Z"))).toEqual({
      startsAt: at("2030-11-02T10:00:00Z"),
      endsAt: at("2030-11-02T11:30:00Z"),
    });
    // 30 November is a Saturday: the until date counts whole, in local time.
    expect(nextOccurrence(o, at("2030-11-25T00:00:00Z"))?.startsAt).toEqual(
      at("2030-11-30T10:00:00Z"),
    );
    expect(nextOccurrence(o, at("2030-11-30T11:30:00Z"))).toBeUndefined();
    expect(expiresAt(o)).toBe(Date.parse("2030-11-30T11:30:00Z"));
  });

  it("weekly in New York across its March change, with an until instant", () => {
    // Saturday 2 March 2030 09:30 EST = 14:30Z; EDT from Sunday 10 March.
    const o = {
      startsAt: "2030-03-02T14:30:00.000Z",
      endsAt: "2030-03-02T15:30:00.000Z",
      timezone: "America/New_York",
      repeat: { weekly: true as const, until: "2030-03-16T13:30:00.000Z" },
    };
    expect(nextOccurrence(o, at("2030-03-10T00:00:00Z"))?.startsAt).toEqual(
      at("2030-03-16T13:30:00Z"),
    );
    expect(nextOccurrence(o, at("2030-03-16T14:30:00Z"))).toBeUndefined();
    expect(expiresAt(o)).toBe(Date.parse("2030-03-16T14:30:00Z"));
  });

  it("finds the right week far into a series", () => {
    const o = { ...one, repeat: { weekly: true as const, until: "2031-03-22" } };
    const next = nextOccurrence(o, at("2031-01-01T00:00:00Z"));
    expect(next?.startsAt).toEqual(at("2031-01-04T10:00:00Z"));
    expect(expiresAt(o)).toBe(Date.parse("2031-03-22T11:00:00Z"));
  });
});

describe("wall clock", () => {
  it("round-trips, moves a skipped time forward and takes the later of a repeated one", () => {
    const t = Date.parse("2030-07-01T08:15:30.250Z");
    expect(wallClock(t, "Europe/London")).toBe(Date.parse("2030-07-01T09:15:30.250Z"));
    expect(fromWallClock(wallClock(t, "Asia/Kolkata"), "Asia/Kolkata")).toBe(t);
    // 01:30 on 31 March 2030 does not exist in London; 01:30 on 27 October happens twice.
    expect(fromWallClock(Date.parse("2030-03-31T01:30:00Z"), "Europe/London")).toBe(
      Date.parse("2030-03-31T01:30:00Z"),
    );
    expect(fromWallClock(Date.parse("2030-10-27T01:30:00Z"), "Europe/London")).toBe(
      Date.parse("2030-10-27T01:30:00Z"),
    );
  });
});
