import { isIpAddress, normalizeIpAddress } from "./names";

export type HostMatch = { ok: true; matched: string } | { ok: false; reason: string };

/**
 * Whether a certificate with these SANs passes libpq's verify-full name check for `host`, by
 * libpq's rules: an IP address must equal an iPAddress SAN; a name must equal a dNSName SAN
 * (case-insensitive) or match a wildcard that stands for exactly one leftmost label. (With SANs
 * present, libpq ignores the CN — our certificates always carry SANs.)
 */
export function matchHost(sans: { dnsNames: string[]; ipAddresses: string[] }, host: string): HostMatch {
  const wanted = host.trim().toLowerCase().replace(/\.$/, "");
  if (wanted === "") return { ok: false, reason: "no host name given" };
  if (isIpAddress(wanted)) {
    const ip = normalizeIpAddress(wanted);
    const found = sans.ipAddresses.find((a) => normalizeIpAddress(a) === ip);
    return found
      ? { ok: true, matched: found }
      : { ok: false, reason: `${host} is not among the certificate's IP addresses (${sans.ipAddresses.join(", ") || "none"})` };
  }
  for (const name of sans.dnsNames.map((n) => n.toLowerCase())) {
    if (name === wanted) return { ok: true, matched: name };
    if (name.startsWith("*.")) {
      const [first, ...rest] = wanted.split(".");
      if (first && rest.length > 0 && rest.join(".") === name.slice(2)) return { ok: true, matched: name };
    }
  }
  return { ok: false, reason: `${host} is not among the certificate's names (${sans.dnsNames.join(", ") || "none"})` };
}
