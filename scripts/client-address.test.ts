import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, stampClientAddress } from "./client-address.mjs";

describe("client address", () => {
  it("is the socket's peer, whatever X-Forwarded-For the client sends, unless a proxy is trusted", () => {
    expect(clientAddress({ remoteAddress: "198.51.100.7", forwardedFor: "203.0.113.1", trustProxy: false })).toBe("198.51.100.7");
    expect(clientAddress({ remoteAddress: "198.51.100.7", forwardedFor: "203.0.113.1, 203.0.113.2", trustProxy: false })).toBe(
      "198.51.100.7",
    );
    expect(clientAddress({ remoteAddress: "198.51.100.7", trustProxy: false })).toBe("198.51.100.7");
  });

  it("behind a trusted proxy, is the element the proxy appended (the last): those before it are the client's to write", () => {
    expect(clientAddress({ remoteAddress: "10.0.0.2", forwardedFor: "203.0.113.1", trustProxy: true })).toBe("203.0.113.1");
    expect(clientAddress({ remoteAddress: "10.0.0.2", forwardedFor: "192.0.2.66, 203.0.113.1", trustProxy: true })).toBe("203.0.113.1");
    // Node joins repeated headers; a list of them is read the same way.
    expect(clientAddress({ remoteAddress: "10.0.0.2", forwardedFor: ["192.0.2.66", "203.0.113.1"], trustProxy: true })).toBe("203.0.113.1");
    expect(clientAddress({ remoteAddress: "10.0.0.2", forwardedFor: "2001:DB8::1", trustProxy: true })).toBe("2001:db8::1");
  });

  it("falls back to the socket when a trusted proxy sent no usable address", () => {
    expect(clientAddress({ remoteAddress: "10.0.0.2", trustProxy: true })).toBe("10.0.0.2");
    expect(clientAddress({ remoteAddress: "10.0.0.2", forwardedFor: "", trustProxy: true })).toBe("10.0.0.2");
    expect(clientAddress({ remoteAddress: "10.0.0.2", forwardedFor: "203.0.113.1, not-an-address", trustProxy: true })).toBe("10.0.0.2");
  });

  it("writes an IPv4 client of a dual-stack socket as IPv4, and nothing for no address", () => {
    expect(clientAddress({ remoteAddress: "::ffff:127.0.0.1", trustProxy: false })).toBe("127.0.0.1");
    expect(clientAddress({ remoteAddress: "::1", trustProxy: false })).toBe("::1");
    expect(clientAddress({ remoteAddress: undefined, trustProxy: false })).toBeNull();
  });

  it("replaces a client-sent copy of the header the app reads", () => {
    const req = {
      socket: { remoteAddress: "::ffff:198.51.100.7" },
      headers: { [CLIENT_ADDRESS_HEADER]: "203.0.113.1", "x-forwarded-for": "203.0.113.2" },
    };
    stampClientAddress(req as unknown as IncomingMessage, { trustProxy: false });
    expect(req.headers[CLIENT_ADDRESS_HEADER]).toBe("198.51.100.7");
    const gone = { socket: {}, headers: { [CLIENT_ADDRESS_HEADER]: "203.0.113.1" } };
    stampClientAddress(gone as unknown as IncomingMessage, { trustProxy: false });
    expect(gone.headers).toEqual({});
  });
});
