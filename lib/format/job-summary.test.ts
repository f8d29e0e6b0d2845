import { describe, expect, it } from "vitest";
import { formatJobSummary } from "./job-summary";

describe("formatJobSummary", () => {
  it("writes counts and names as words, joined by dots", () => {
    expect(formatJobSummary({ checked: 2, refreshed: 0 })).toBe("checked 2 · refreshed 0");
    expect(formatJobSummary({ jobRuns: 1200, supersededCrls: 3, webhookDeliveries: 0 })).toBe(
      "job runs 1,200 · superseded CRLs 3 · webhook deliveries 0",
    );
    expect(formatJobSummary({ due: 1, failed: [], renewed: ["db1.orders.internal"] })).toBe(
      "due 1 · failed none · renewed db1.orders.internal",
    );
  });

  it("shortens long lists to their count and first names, and says when there is nothing", () => {
    expect(formatJobSummary({ renewed: ["a", "b", "c", "d", "e"] })).toBe("renewed 5 (a, b, c, …)");
    expect(formatJobSummary({})).toBe("nothing to report");
    expect(formatJobSummary({ failed: [{ node: "db1", error: "unreachable" }], note: null })).toBe(
      'failed {"node":"db1","error":"unreachable"} · note —',
    );
  });
});
