import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { isPrivateAddress } from "./private-address";

type Resolver = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

/** Raised (as a connection error) when a webhook host resolves to an address it may not reach. */
export class PrivateTargetError extends Error {
  readonly code = "EPRIVATETARGET";
  constructor(hostname: string) {
    super(`${hostname} resolves to a loopback, link-local or private address`);
    this.name = "PrivateTargetError";
  }
}

/**
 * A `lookup` for net.connect: resolves the name, refuses it when ANY address is private, and hands
 * net exactly the addresses it checked. The check and the connection use one resolution, so a DNS
 * answer that changes between them (DNS rebinding, a TTL of 0) cannot slip a private address in.
 * net skips `lookup` for IP literals: the caller checks those itself.
 */
export function checkedLookup(resolve: Resolver = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      const first = addresses?.[0];
      if (error || !first) return callback(error ?? Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      if (addresses.some((a) => isPrivateAddress(a.address))) return callback(new PrivateTargetError(hostname), "", 0);
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}
