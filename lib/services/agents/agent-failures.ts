import "server-only";
import { createFailureWindow } from "@/lib/cache/failure-window";
import { processSingleton } from "@/lib/cache/process-singleton";
import { AppError } from "@/lib/errors/app-error";

/**
 * Refused enrollment codes and node credentials per client address: 20 a minute, then 429. The
 * secrets are 256 bits, so this is not what keeps them safe; it keeps a scanner from turning
 * every guess into a database query and tells a misconfigured agent what is wrong.
 */
const LIMIT = { attempts: 20, windowMs: 60_000 };
const failures = () => processSingleton("agent-failures", () => createFailureWindow({ limit: LIMIT.attempts, windowMs: LIMIT.windowMs }));

export function assertNotThrottled(ipAddress: string | null | undefined, what: string): void {
  if (!ipAddress) return;
  const wait = failures().retryAfterSeconds(`ip:${ipAddress}`);
  if (wait > 0) throw new AppError("RATE_LIMITED", `too many refused ${what} from this client; retry in ${wait} s`);
}

/** Counts the refusal against the client, then throws it. */
export function refuse(ipAddress: string | null | undefined, error: AppError): never {
  if (ipAddress) failures().record(`ip:${ipAddress}`);
  throw error;
}
