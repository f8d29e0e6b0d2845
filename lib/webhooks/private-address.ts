import { BlockList, isIP } from "node:net";

/**
 * Addresses a webhook may not reach: the server's own loopback and the networks behind it. A
 * webhook is an admin-chosen URL fetched by the server; without this it probes internal services.
 * IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are checked against the IPv4 ranges by BlockList.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network" (RFC 791); connecting to 0.0.0.0 reaches the local host
  ["10.0.0.0", 8], // private (RFC 1918)
  ["100.64.0.0", 10], // shared address space, CGNAT (RFC 6598)
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (RFC 3927), cloud metadata services
  ["172.16.0.0", 12], // private (RFC 1918)
  ["192.0.0.0", 24], // IETF protocol assignments (RFC 6890)
  ["192.168.0.0", 16], // private (RFC 1918)
  ["198.18.0.0", 15], // benchmarking (RFC 2544)
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and 255.255.255.255 broadcast
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 96], // unspecified (::), loopback (::1), deprecated IPv4-compatible (RFC 4291)
  ["fc00::", 7], // unique local (RFC 4193)
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv6");
}

/** True for a loopback, link-local, private, shared or reserved address (IPv4 or IPv6). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * A URL host that names this machine or a private network without DNS: an IP literal in a
 * private range, or localhost (RFC 6761: *.localhost resolves to loopback). Other names are
 * checked once resolved, at the moment of connecting.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || isPrivateAddress(host);
}

/** CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE=1 lets webhooks reach internal receivers (a chat bot on the LAN). */
export function privateTargetsAllowed(env: Record<string, string | undefined> = process.env): boolean {
  return env.CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE === "1";
}

export const PRIVATE_TARGET_MESSAGE =
  "A public address: loopback, link-local and private networks are refused (CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE=1 allows them)";
