import dns from "node:dns";
import { isIP } from "node:net";
import { isPrivateAddress } from "./private-address";

const LOOKUP_TIMEOUT_MS = 3_000;

/**
 * The first loopback, link-local or private address a webhook URL's host name resolves to, or null.
 * A name that does not resolve now (or not quickly) is let through: delivery checks every address
 * again when it connects, which is the check that counts (DNS answers change).
 */
export async function resolvePrivateAddress(url: string): Promise<string | null> {
  const { hostname } = new URL(url);
  if (isIP(hostname.replace(/^\[|\]$/g, "")) !== 0) return null; // literals: the schema checked them
  const timeout = new Promise<null>((resolve) => setTimeout(resolve, LOOKUP_TIMEOUT_MS, null).unref());
  const lookup = dns.promises.lookup(hostname, { all: true }).then(
    (addresses) => addresses.find((a) => isPrivateAddress(a.address))?.address ?? null,
    () => null,
  );
  return Promise.race([lookup, timeout]);
}
