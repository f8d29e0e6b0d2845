import "server-only";

export type RequestInfo = { ipAddress: string | null; userAgent: string | null };

const CLIENT_ADDRESS_HEADER = Symbol.for("cluster-tls.client-address-header");

/**
 * The header in which `npm start`'s server (scripts/serve.mjs) hands every request its client
 * address: the socket's peer, or with CLUSTER_TLS_TRUST_PROXY=1 the address the proxy appended to
 * X-Forwarded-For, after dropping any copy the client sent. Route handlers and server actions
 * cannot see the socket. Null under a server that sets no such header (`next dev`), where a
 * client could write it: addresses are then unknown rather than taken from the client.
 */
export function clientAddressHeader(): string | null {
  const name = (globalThis as Record<symbol, unknown>)[CLIENT_ADDRESS_HEADER];
  return typeof name === "string" ? name : null;
}

/** Client address and user agent, for throttles, audit rows and sessions alike. */
export function requestInfoFrom(h: Pick<Headers, "get">): RequestInfo {
  const header = clientAddressHeader();
  return { ipAddress: (header && h.get(header)?.trim()) || null, userAgent: h.get("user-agent")?.slice(0, 300) ?? null };
}
