import { afterEach, describe, expect, it } from "vitest";
import { requestInfoFrom } from "./request-info";

const HEADER = Symbol.for("cluster-tls.client-address-header");
const globals = globalThis as Record<symbol, unknown>;

afterEach(() => {
  delete globals[HEADER];
});

describe("request info", () => {
  it("takes the client address from the header npm start's server sets, never from X-Forwarded-For", () => {
    globals[HEADER] = "x-cluster-tls-client-address";
    const h = new Headers({
      "x-cluster-tls-client-address": "198.51.100.7",
      "x-forwarded-for": "203.0.113.1, 203.0.113.2",
      "user-agent": "curl/8",
    });
    expect(requestInfoFrom(h)).toEqual({ ipAddress: "198.51.100.7", userAgent: "curl/8" });
    expect(requestInfoFrom(new Headers({ "x-forwarded-for": "203.0.113.1" })).ipAddress).toBeNull();
  });

  it("knows no address under a server that does not set that header (a client could write it)", () => {
    const h = new Headers({ "x-cluster-tls-client-address": "198.51.100.7", "x-forwarded-for": "203.0.113.1" });
    expect(requestInfoFrom(h).ipAddress).toBeNull();
  });
});
