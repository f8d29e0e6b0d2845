import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { actorRole, type Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";

/**
 * Revokes a developer login's device credential: its next request is a 401, so it cannot get
 * another certificate. Certificates it already got stay valid until their (short) notAfter —
 * that is the revocation story behind PgBouncer, which reads no CRL. A user revokes their own
 * devices, an admin anyone's, a device itself (`cluster-tls logout`).
 */
export async function revokeDevice(db: Database, actor: Actor, deviceId: string): Promise<void> {
  if (actor.type === "anonymous") throw new AppError("UNAUTHENTICATED", "sign in first");
  if (actor.type !== "user" && actor.type !== "device")
    throw new AppError("FORBIDDEN", `${actor.label}: devices are revoked by their user or an admin on the dashboard, or by themselves`);
  const { devices, users } = schema;
  await db.transaction(async (tx) => {
    const [device] = await tx
      .select({
        id: devices.id,
        userId: devices.userId,
        name: devices.name,
        prefix: devices.credentialPrefix,
        revokedAt: devices.revokedAt,
        email: users.email,
      })
      .from(devices)
      .innerJoin(users, eq(users.id, devices.userId))
      .where(eq(devices.id, deviceId));
    const own = (actor.type === "user" && device?.userId === actor.id) || (actor.type === "device" && actor.id === deviceId);
    const admin = actor.type === "user" && actorRole(actor) === "admin";
    // Someone else's device is "not found" to a non-admin: no existence leak.
    if (!device || !(own || admin)) throw new AppError("NOT_FOUND", `no device with id ${deviceId}`);
    if (device.revokedAt) throw new AppError("CONFLICT", `device ${device.name} was already revoked on ${device.revokedAt.toISOString()}`);
    await tx
      .update(devices)
      .set({ revokedAt: new Date() })
      .where(and(eq(devices.id, deviceId), isNull(devices.revokedAt)));
    await recordAuditEvent(tx, actor, {
      action: "device.revoked",
      objectType: "device",
      objectId: device.id,
      details: {
        name: device.name,
        prefix: device.prefix,
        user: device.email,
        by: actor.type === "device" ? "the device (logout)" : own ? "its user" : "an admin",
      },
    });
  });
}
