import "server-only";
import type { Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { AccessRefused } from "@/lib/access/access-refused";
import { describeError } from "@/lib/errors/describe-error";
import { recordAuditEvent } from "./record-audit-event";

/**
 * One audit row (outcome "denied") for a request a permission check refused: who, what they
 * attempted (the request, the permission, its object ids), on which cluster, from which address.
 * Only actors who proved who they are get one (a session, a valid token): a 401 for a missing or
 * made-up token never reaches a permission check, so guessing tokens cannot flood the log.
 * Writing it must not turn the refusal into a 500, so a failed write is only logged. `database` is
 * asked for only when there is a refusal to record.
 */
export async function recordRefusal(
  database: () => Promise<Database>,
  actor: Actor | null,
  error: unknown,
  attempted: { request: string; objectIds?: Record<string, string> },
): Promise<void> {
  if (!(error instanceof AccessRefused) || !actor || (actor.type !== "user" && actor.type !== "token" && actor.type !== "device")) return;
  const { permission, clusterId, databaseUser } = error.refusal;
  try {
    await recordAuditEvent(await database(), actor, {
      action: "access.denied",
      objectType: clusterId ? "cluster" : undefined,
      objectId: clusterId,
      clusterId,
      outcome: "denied",
      details: {
        request: attempted.request,
        permission,
        ...(databaseUser ? { databaseUser } : {}),
        ...attempted.objectIds,
        status: error.httpStatus,
      },
    });
  } catch (writeError) {
    console.error(`[cluster-tls] could not audit a refused request by ${actor.label}: ${describeError(writeError)}`);
  }
}
