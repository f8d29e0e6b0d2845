import { describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/format/days";
import { expiryTone, timelineDomain, timeScale, timeTicks, type TimelineData } from "./layout";

const now = new Date("2026-11-24T12:00:00Z");
const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
const empty: TimelineData = { authorities: [], crls: [], certificates: [], weeklyExpiries: [], totals: { server: 0, client: 0 } };

describe("timeline layout", () => {
  it("zooms to 3 months or a year around now, and 'all' covers every span drawn", () => {
    expect(timelineDomain("3m", now, empty)).toEqual({ start: at(-14), end: at(92) });
    const withCa = { ...empty, authorities: [{ id: "a", clusterName: "c", label: "Root", state: "active", notBefore: at(-400), notAfter: at(3000) }] };
    expect(timelineDomain("all", now, withCa)).toEqual({ start: at(-400), end: at(3000) });
  });

  it("clamps dates outside the window to its edges", () => {
    const x = timeScale({ start: at(0), end: at(100) }, 200, 1000);
    expect(x(at(50))).toBe(600);
    expect(x(at(-10))).toBe(200);
    expect(x(at(500))).toBe(1000);
  });

  it("puts ticks on month starts, fewer of them on long windows", () => {
    const short = timeTicks({ start: at(-14), end: at(92) });
    expect(short.map((t) => t.at.toISOString().slice(0, 10))).toEqual(["2026-12-01", "2027-01-01", "2027-02-01"]);
    expect(short[1]!.label).toBe("Jan 2027");
    const long = timeTicks({ start: at(-400), end: at(3000) });
    expect(long.every((t) => t.at.getUTCMonth() === 0)).toBe(true);
    expect(long.length).toBeLessThan(12);
  });

  it("colours by days left: 7 and 30 day thresholds", () => {
    expect(expiryTone(at(3), now)).toBe("critical");
    expect(expiryTone(at(-3), now)).toBe("critical");
    expect(expiryTone(at(20), now)).toBe("warning");
    expect(expiryTone(at(31), now)).toBe("ok");
  });
});
