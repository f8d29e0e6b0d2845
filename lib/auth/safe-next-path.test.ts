import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

describe("safeNextPath (where sign-in sends the user afterwards)", () => {
  it.each(["/", "/clusters", "/clusters/orders-prod/nodes/1?tab=certificates#history", "/audit?q=%2F%2Fnot-a-host", "/a/b//c", "/a%20b"])(
    "keeps the same-site path %s",
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  // Browsers read "//host" and "/\host" as another host (WHATWG URL: "\" is "/" in special
  // schemes), and strip tabs and newlines before parsing, so "/\t/host" is "//host" too.
  it.each([
    ["//evil.example", "scheme-relative"],
    ["/\\evil.example", "backslash"],
    ["/%5Cevil.example", "encoded backslash"],
    ["/%5cevil.example", "encoded backslash, lower case"],
    ["/%2Fevil.example", "encoded second slash"],
    ["%2F%2Fevil.example", "encoded scheme-relative"],
    ["\\\\evil.example", "two backslashes"],
    ["\\/evil.example", "backslash then slash"],
    ["/\t/evil.example", "tab between the slashes"],
    ["/\n/evil.example", "newline between the slashes"],
    ["/%09/evil.example", "encoded tab between the slashes"],
    [" //evil.example", "leading space"],
    ["https://evil.example/", "absolute URL"],
    ["HTTPS://evil.example/", "absolute URL, upper case"],
    ["javascript:alert(1)", "javascript: URL"],
    ["data:text/html,hi", "data: URL"],
    ["evil.example", "relative, no slash"],
    ["/%E0%A4%A", "malformed percent-encoding"],
    ["", "empty"],
  ])("sends %j (%s) to /", (value) => {
    expect(safeNextPath(value)).toBe("/");
  });

  it("sends anything not a string to /", () => {
    expect(safeNextPath(null)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
  });
});
