import "server-only";
import { headers } from "next/headers";
import type { Actor } from "@/lib/access/actor";
import { requestContextFor, type RequestContext } from "@/lib/runtime/request-context";
import { getSessionUser, requireSessionUser, type SessionUser } from "./current-user";
import { requestInfoFrom } from "./request-info";

/** A request context whose actor is the signed-in browser user (pages, server actions, downloads). */
export type SessionContext = RequestContext & { actor: SessionUser };

type Visitor = Extract<Actor, { type: "anonymous" }>;

/**
 * The context for a user the session lookup already found: that lookup read the request's client
 * address and user agent, so the audit rows written with this context name where it came from.
 */
export function sessionContext(user: SessionUser): Promise<SessionContext> {
  return requestContextFor(user, { ipAddress: user.ipAddress ?? null, userAgent: user.userAgent ?? null });
}

/** For pages and actions behind sign-in: anonymous visitors go to the sign-in page. */
export async function requireSessionContext(): Promise<SessionContext> {
  return sessionContext(await requireSessionUser());
}

/**
 * For pages and actions that anyone may reach (sign-in, first-run setup): the signed-in user's
 * context if there is a session, otherwise an anonymous actor labelled `label` (what a failed
 * sign-in claimed to be, or "visitor"). Callers decide what an anonymous visitor may do.
 */
export async function visitorContext(label = "visitor"): Promise<SessionContext | (RequestContext & { actor: Visitor })> {
  const user = await getSessionUser();
  if (user) return sessionContext(user);
  return anonymousContext(label);
}

/** An anonymous actor for this request, whether or not a session exists (a sign-in attempt names whom it claims to be). */
export async function anonymousContext(label: string): Promise<RequestContext & { actor: Visitor }> {
  const requestInfo = requestInfoFrom(await headers());
  return requestContextFor<Visitor>({ type: "anonymous", label, ...requestInfo }, requestInfo);
}
