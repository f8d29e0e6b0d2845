import { describe, expect, it } from "vitest";
import { defaultRevocationReason } from "./revocation-reason";

describe("defaultRevocationReason", () => {
  it("is unspecified for a certificate still in use: key compromise is never pre-selected", () => {
    expect(defaultRevocationReason({ hasNewer: false })).toBe("unspecified");
    expect(defaultRevocationReason({})).toBe("unspecified");
  });

  it("is superseded when a newer certificate replaced it", () => {
    expect(defaultRevocationReason({ hasNewer: true })).toBe("superseded");
  });
});
