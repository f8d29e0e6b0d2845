import { describe, expect, it } from "vitest";
import { invalidTrustedOrigin, isTrustedOrigin, trustedOrigins } from "./request-origin.mjs";

const env = {
  PORT: "3000",
  BETTER_AUTH_URL: "https://pki.example.com/",
  CLUSTER_TLS_TRUSTED_ORIGINS: " https://pki.corp.example , http://10.0.0.5:3000",
};
const from = (headers: Record<string, string>) => isTrustedOrigin(new Headers(headers), env);

describe("request origin (CSRF)", () => {
  it("trusts both loopback names, BETTER_AUTH_URL's origin and CLUSTER_TLS_TRUSTED_ORIGINS", () => {
    expect(trustedOrigins(env)).toEqual([
      "http://localhost:3000",
      "http://127.0.0.1:3000",
      "https://pki.example.com",
      "https://pki.corp.example",
      "http://10.0.0.5:3000",
    ]);
  });

  it("accepts the host the client addressed: Host, or X-Forwarded-Host when a proxy rewrote Host", () => {
    expect(from({ origin: "http://db-admin:3000", host: "db-admin:3000" })).toBe(true);
    expect(from({ origin: "https://pki.proxy.example", host: "app.internal:3000", "x-forwarded-host": "pki.proxy.example" })).toBe(true);
    expect(
      from({ origin: "https://pki.proxy.example", host: "app.internal:3000", "x-forwarded-host": "pki.proxy.example, app.internal" }),
    ).toBe(true);
    // With X-Forwarded-Host, Host is the proxy's upstream name, not what the browser addressed.
    expect(from({ origin: "http://app.internal:3000", host: "app.internal:3000", "x-forwarded-host": "pki.proxy.example" })).toBe(false);
  });

  it("accepts a trusted origin whatever Host the proxy sent", () => {
    expect(from({ origin: "https://pki.example.com", host: "app.internal:3000" })).toBe(true);
    expect(from({ origin: "https://pki.corp.example", host: "app.internal:3000" })).toBe(true);
    expect(from({ origin: "http://localhost:3000", host: "app.internal:3000" })).toBe(true);
  });

  it("refuses a foreign, null, malformed or missing Origin, and a trusted host under another scheme or port", () => {
    expect(from({ origin: "https://evil.example", host: "app.internal:3000" })).toBe(false);
    expect(from({ origin: "null", host: "app.internal:3000" })).toBe(false);
    expect(from({ origin: "not a url", host: "app.internal:3000" })).toBe(false);
    expect(from({ host: "app.internal:3000" })).toBe(false);
    expect(from({ origin: "http://pki.example.com", host: "app.internal:3000" })).toBe(false);
    expect(from({ origin: "https://pki.example.com:8443", host: "app.internal:3000" })).toBe(false);
    expect(from({ origin: "http://localhost:3000.evil.example", host: "app.internal:3000" })).toBe(false);
  });

  it("names a CLUSTER_TLS_TRUSTED_ORIGINS entry that is not an origin", () => {
    expect(invalidTrustedOrigin(env)).toBeNull();
    expect(invalidTrustedOrigin({ CLUSTER_TLS_TRUSTED_ORIGINS: "https://ok.example/" })).toBeNull();
    expect(invalidTrustedOrigin({ CLUSTER_TLS_TRUSTED_ORIGINS: "https://ok.example, pki.example.com" })).toBe("pki.example.com");
    expect(invalidTrustedOrigin({ CLUSTER_TLS_TRUSTED_ORIGINS: "https://pki.example.com/login" })).toBe("https://pki.example.com/login");
    expect(invalidTrustedOrigin({ CLUSTER_TLS_TRUSTED_ORIGINS: "ftp://pki.example.com" })).toBe("ftp://pki.example.com");
  });
});
