import "server-only";
import { and, eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { ZDeviceDecisionInput, type TDeviceDecisionInput } from "@/lib/validations/devices";
import { validationError } from "@/lib/validations/field-errors";
import { findDeviceAuthorization } from "./find-device-authorization";

/**
 * Approve or Deny at /device. Approving binds the login to the signed-in user and to the clusters
 * it asked for that this user may see (none asked = all, now and later); if it asked only for
 * clusters the user cannot see, there is nothing to approve. The laptop's next poll gets the
 * device credential or access_denied.
 */
export async function decideDeviceAuthorization(db: Database, actor: Actor, input: TDeviceDecisionInput) {
  const parsed = ZDeviceDecisionInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid decision");
  const { userCode, decision } = parsed.data;
  const view = await findDeviceAuthorization(db, actor, userCode);
  if (actor.type !== "user") throw new AppError("FORBIDDEN", "only a signed-in user may approve a device login");
  const clusterIds = view.requestedClusters.flatMap((c) => (c.available && c.id ? [c.id] : []));
  if (decision === "approve" && view.requestedClusters.length > 0 && clusterIds.length === 0) {
    throw new AppError(
      "FORBIDDEN",
      `this login asks only for clusters you cannot use (${view.requestedClusters.map((c) => c.name).join(", ")}); deny it, or run cluster-tls login for your clusters`,
    );
  }
  const { deviceAuthorizations: table } = schema;
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(table)
      .set({ state: decision === "approve" ? "approved" : "denied", userId: actor.id, clusterIds, decidedAt: new Date() })
      .where(and(eq(table.id, view.id), eq(table.state, "pending")))
      .returning({ id: table.id });
    if (!updated) throw new AppError("CONFLICT", `code ${view.userCode} was decided meanwhile`);
    await recordAuditEvent(tx, actor, {
      action: decision === "approve" ? "device.approved" : "device.denied",
      objectType: "device_authorization",
      objectId: view.id,
      details: {
        deviceName: view.deviceName,
        requestedFrom: view.ipAddress,
        clusters: view.requestedClusters.filter((c) => c.available).map((c) => c.name),
        asked: view.requestedClusters.map((c) => c.name),
      },
    });
    return { decision, deviceName: view.deviceName };
  });
}
