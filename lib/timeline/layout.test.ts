import { describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/format/days";
import { endLabelText, expiryTone, timelineDomain, timelineRangeOf, timeScale, timeTicks, type TimelineData } from "./layout";

const now = new Date("2026-11-24T12:00:00Z");
const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
const empty: TimelineData = { authorities: [], crls: [], certificates: [], weeklyExpiries: [], totals: { server: 0, client: 0 } };

describe("timeline layout", () => {
  it("zooms to 3 months or a year around now, and 'all' covers every span drawn", () => {
    expect(timelineDomain("3m", now, empty)).toEqual({ start: at(-14), end: at(92) });
    const withCa = {
      ...empty,
      authorities: [{ id: "a", clusterName: "c", label: "Root", state: "active", notBefore: at(-400), notAfter: at(3000) }],
    };
    expect(timelineDomain("all", now, withCa)).toEqual({ start: at(-400), end: at(3000) });
  });

  it("opens on a window fitted to the certificates: a fleet of 397-day certificates ends inside it", () => {
    expect(timelineRangeOf(undefined)).toBe("fit");
    expect(timelineRangeOf("bogus")).toBe("fit");
    expect(timelineRangeOf("1y")).toBe("1y");
    const fleet: TimelineData = {
      ...empty,
      certificates: [0, 100, 396].map((issuedAgo, i) => ({
        id: String(i),
        kind: "server",
        label: `db${i}`,
        clusterName: "c",
        href: "/",
        notBefore: at(-issuedAgo),
        notAfter: at(397 - issuedAgo),
      })),
      weeklyExpiries: [{ kind: "server", weekStart: at(395), count: 1 }],
      totals: { server: 3, client: 0 },
    };
    const { start, end } = timelineDomain("fit", now, fleet);
    const latest = at(397).getTime();
    expect(end.getTime()).toBeGreaterThan(at(402).getTime()); // the latest end, its week and a margin for its label
    expect(end.getTime()).toBeLessThan(latest + 60 * DAY_MS); // not a 10-year CA's window
    expect(start.getTime()).toBeLessThan(now.getTime());
    expect(start.getTime()).toBeGreaterThan(at(-31).getTime()); // the past is not what anyone reads here
    // The 30-day band takes a visible share of the plot.
    expect((30 * DAY_MS) / (end.getTime() - start.getTime())).toBeGreaterThan(0.06);
  });

  it("fits an empty fleet to three months, and reaches back to a certificate that already expired", () => {
    expect(timelineDomain("fit", now, empty)).toEqual({ start: at(-14), end: at(92) });
    const expired = {
      ...empty,
      certificates: [
        { id: "x", kind: "client" as const, label: "app", clusterName: "c", href: "/", notBefore: at(-60), notAfter: at(-20) },
      ],
      totals: { server: 0, client: 1 },
    };
    expect(timelineDomain("fit", now, expired).start.getTime()).toBeLessThan(at(-20).getTime());
  });

  it("labels a bar's end with days left and its date, or how long ago it expired", () => {
    expect(endLabelText(at(50), now)).toBe("50 d · 2027-01-13");
    expect(endLabelText(at(400), now)).toBe("400 d · 2027-12-29");
    expect(endLabelText(at(-3), now)).toBe("expired 3 d ago · 2026-11-21");
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
