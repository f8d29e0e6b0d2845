import { describe, expect, it } from "vitest";
import { DAY_MS, daysLeft, daysLeftLabel, displayStatus } from "./days";

const now = new Date("2026-11-24T12:00:00Z");
const inDays = (days: number) => new Date(now.getTime() + days * DAY_MS);

describe("daysLeft", () => {
  it("counts whole days and goes negative after expiry", () => {
    expect(daysLeft(inDays(10.5), now)).toBe(10);
    expect(daysLeft(inDays(-0.5), now)).toBe(-1);
  });
});

describe("daysLeftLabel", () => {
  it("counts down for certificates in use; a revoked or superseded one has no days left to count", () => {
    expect(daysLeftLabel("active", inDays(10.5), now)).toBe("10");
    expect(daysLeftLabel("active", inDays(-2), now)).toBe("-2");
    expect(daysLeftLabel("revoked", inDays(200), now)).toBe("—");
    expect(daysLeftLabel("superseded", inDays(200), now)).toBe("—");
    expect(daysLeftLabel(null, null, now)).toBe("—");
  });
});

describe("displayStatus", () => {
  it("derives expiring and expired from an active certificate's notAfter", () => {
    expect(displayStatus("active", inDays(90), now)).toBe("active");
    expect(displayStatus("active", inDays(29), now)).toBe("expiring");
    expect(displayStatus("active", inDays(-1), now)).toBe("expired");
  });
  it("keeps revoked and superseded whatever the dates, and reports a missing certificate", () => {
    expect(displayStatus("revoked", inDays(-5), now)).toBe("revoked");
    expect(displayStatus("superseded", inDays(5), now)).toBe("superseded");
    expect(displayStatus(null, null, now)).toBe("missing");
  });
});

describe("formatRelative", () => {
  it("counts down in days and hours, then hours and minutes, and says when it is past", async () => {
    const { formatRelative } = await import("./relative");
    expect(formatRelative(new Date(now.getTime() + 6 * DAY_MS + 4 * 3_600_000), now)).toBe("in 6 days 4 h");
    expect(formatRelative(new Date(now.getTime() + 3 * 3_600_000 + 20 * 60_000), now)).toBe("in 3 h 20 min");
    expect(formatRelative(new Date(now.getTime() - 2 * DAY_MS), now)).toBe("2 days ago");
  });
});
