import { parseCertificate } from "@/lib/pki";
import { fetchServedCertificate } from "@/lib/probe/fetch-served-certificate";

/** host:port, [v6]:port included. */
export function splitAddress(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!match) throw new Error(`verify address ${JSON.stringify(address)} is not host:port`);
  return { host: match[1]!, port: Number(match[2]) };
}

/** The serial the server at `address` presents now (SSLRequest, then direct TLS), or the reason there is none. */
export async function servedSerial(address: string): Promise<{ serial: string | null; problem: string | null }> {
  const { host, port } = splitAddress(address);
  const served = await fetchServedCertificate(host, port, 5_000);
  if (!served.ok) return { serial: null, problem: served.detail };
  return { serial: (await parseCertificate(served.der)).serialHex, problem: null };
}

/**
 * Waits until the server serves `expected` (a reload is asynchronous: the postmaster re-reads its
 * files after pg_ctl returns). Returns the last serial seen, which differs from `expected` when the
 * reload did not take within the timeout.
 */
export async function proveServed(
  address: string,
  expected: string,
  timeoutMs: number,
): Promise<{ serial: string | null; problem: string | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await servedSerial(address);
    if (seen.serial === expected || Date.now() >= deadline) return seen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
