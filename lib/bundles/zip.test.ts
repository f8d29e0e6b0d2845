import fc from "fast-check";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { ZAddNodeInput } from "@/lib/validations/nodes";
import { zipBundle } from "./zip";

describe("bundle zips", () => {
  it("refuse a folder or file name that could unzip outside the folder", () => {
    for (const bad of ["../etc", "a/b", "..", "x\\\\y", "", ".hidden", "a\\u0000b", "/abs"]) {
      expect(() => zipBundle(bad, [{ name: "server.crt", data: "x" }]), bad).toThrow(/unsafe name/);
      expect(() => zipBundle("db1", [{ name: bad, data: "x" }]), bad).toThrow(/unsafe name/);
    }
  });

  it("every host name the node form accepts makes entries inside one folder (1,000 generated names)", () => {
    fc.assert(
      fc.property(fc.domain(), (hostname) => {
        const parsed = ZAddNodeInput.safeParse({ hostname, role: "primary" });
        if (!parsed.success) return;
        const entries = Object.keys(unzipSync(zipBundle(parsed.data.hostname, [{ name: "server.crt", data: "x" }])));
        expect(entries).toEqual([`${parsed.data.hostname}/server.crt`]);
      }),
      { numRuns: 1_000 },
    );
  });
});
