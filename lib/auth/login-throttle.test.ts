import { describe, expect, it } from "vitest";
import { clearLoginFailures, loginRetryAfterSeconds, recordLoginFailure } from "./login-throttle";

describe("login throttle", () => {
  it("blocks an account after 10 failures within a minute, from any IP", () => {
    const t0 = 1_000_000;
    for (let i = 0; i < 10; i++) recordLoginFailure("alice@example.com", `10.0.0.${i}`, t0 + i);
    expect(loginRetryAfterSeconds("alice@example.com", "192.0.2.99", t0 + 20)).toBe(60);
    expect(loginRetryAfterSeconds("ALICE@example.com", null, t0 + 30_000)).toBe(30);
    expect(loginRetryAfterSeconds("alice@example.com", null, t0 + 60_010)).toBe(0);
  });

  it("blocks an IP that tries many accounts", () => {
    const t0 = 5_000_000;
    for (let i = 0; i < 10; i++) recordLoginFailure(`user${i}@example.com`, "198.51.100.7", t0);
    expect(loginRetryAfterSeconds("someone-else@example.com", "198.51.100.7", t0 + 1)).toBeGreaterThan(0);
    expect(loginRetryAfterSeconds("someone-else@example.com", "198.51.100.8", t0 + 1)).toBe(0);
  });

  it("forgets an account's failures after a successful sign-in", () => {
    const t0 = 9_000_000;
    for (let i = 0; i < 9; i++) recordLoginFailure("bob@example.com", null, t0);
    clearLoginFailures("bob@example.com");
    recordLoginFailure("bob@example.com", null, t0);
    expect(loginRetryAfterSeconds("bob@example.com", null, t0)).toBe(0);
  });
});
