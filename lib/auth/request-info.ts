import "server-only";
import { headers } from "next/headers";

export type RequestInfo = { ipAddress: string | null; userAgent: string | null };

/**
 * Client IP for audit rows and throttling. Next.js only fills X-Forwarded-For when the client did
 * not send one, so the header is trusted only behind a proxy that overwrites it
 * (CLUSTER_TLS_TRUST_PROXY=1); otherwise we record the value with that caveat in mind.
 */
export function requestInfoFrom(h: Pick<Headers, "get">): RequestInfo {
  const forwarded = h.get("x-forwarded-for");
  const ip = forwarded ? (process.env.CLUSTER_TLS_TRUST_PROXY === "1" ? forwarded.split(",")[0] : forwarded.split(",").at(-1)) : null;
  return { ipAddress: ip?.trim() || null, userAgent: h.get("user-agent")?.slice(0, 300) ?? null };
}

export async function currentRequestInfo(): Promise<RequestInfo> {
  return requestInfoFrom(await headers());
}
