// Where a request comes from, decided once by `npm start`'s server (scripts/serve.mjs) and handed
// to the app in one header: route handlers and server actions cannot see the socket. Throttles,
// audit rows and sessions all read that header (lib/auth/request-info.ts, better-auth's
// advanced.ipAddress), so a client that writes X-Forwarded-For itself changes none of them.
import net from "node:net";

export const CLIENT_ADDRESS_HEADER = "x-cluster-tls-client-address";

/** An address as text, or null; "::ffff:192.0.2.1" (IPv4 on a dual-stack socket) is 192.0.2.1. */
function normalized(address) {
  const value = address?.trim();
  if (!value || !net.isIP(value)) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  return mapped ? mapped[1] : value.toLowerCase();
}

/**
 * The socket's peer; behind a trusted reverse proxy (the only way in), the last X-Forwarded-For
 * element: the proxy appends the peer it saw, and everything before it is the client's to write.
 * A trusted proxy that sent nothing usable leaves the socket's peer (the proxy itself).
 */
export function clientAddress({ remoteAddress, forwardedFor, trustProxy }) {
  if (trustProxy && forwardedFor) {
    const list = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
    const appended = normalized(
      list
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean)
        .at(-1),
    );
    if (appended) return appended;
  }
  return normalized(remoteAddress);
}

/** Replaces any copy of the header the client sent with the address decided here (or none). */
export function stampClientAddress(req, { trustProxy }) {
  const address = clientAddress({ remoteAddress: req.socket.remoteAddress, forwardedFor: req.headers["x-forwarded-for"], trustProxy });
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete req.headers[CLIENT_ADDRESS_HEADER];
}
