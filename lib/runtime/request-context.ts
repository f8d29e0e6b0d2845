import type { Actor } from "@/lib/access/actor";
import type { RequestInfo } from "@/lib/auth/request-info";
import type { Database } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { getRuntime } from "./bootstrap";

/**
 * What every handler gets from its wrapper (apiHandler, userAction, sessionDownload, a page):
 * the database, the master key ring, who is acting and where the request came from. Handlers
 * pass these down to services; only the wrappers reach for the process-wide runtime.
 */
export type RequestContext = {
  db: Database;
  keyRing: KeyRing;
  actor: Actor;
  requestInfo: RequestInfo;
};

/** The context for a caller the wrapper has already authenticated. */
export async function requestContextFor<A extends Actor>(actor: A, requestInfo: RequestInfo): Promise<RequestContext & { actor: A }> {
  const { database, keyRing } = await getRuntime();
  return { db: database.db, keyRing, actor, requestInfo };
}
