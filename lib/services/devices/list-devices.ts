import "server-only";
import { desc, eq, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { actorRole, type Actor } from "@/lib/access/actor";
import { AppError } from "@/lib/errors/app-error";

export type DeviceCertificate = { serial: string; clusterName: string; databaseUser: string | null; notAfter: Date; status: string };
export type DeviceSummary = {
  id: string;
  name: string;
  userEmail: string;
  prefix: string;
  ipAddress: string | null;
  lastUsedIp: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  revokedAt: Date | null;
  clusterNames: string[];
  certificates: DeviceCertificate[];
};

/**
 * "My devices": the signed-in user's developer logins, newest first, each with the certificates
 * it got. An admin sees everyone's (with the user), to revoke a lost laptop's login.
 */
export async function listDevices(db: Executor, actor: Actor): Promise<DeviceSummary[]> {
  if (actor.type === "anonymous") throw new AppError("UNAUTHENTICATED", "sign in first");
  if (actor.type !== "user") throw new AppError("FORBIDDEN", `${actor.label}: devices are listed for signed-in users`);
  const { devices, users, certificates, clusters } = schema;
  const rows = await db
    .select({ device: devices, email: users.email })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(actorRole(actor) === "admin" ? undefined : eq(devices.userId, actor.id))
    .orderBy(desc(devices.createdAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.device.id);
  const issued = await db
    .select({
      deviceId: certificates.deviceId,
      serial: certificates.serialHex,
      clusterName: clusters.name,
      databaseUser: certificates.databaseUser,
      notAfter: certificates.notAfter,
      status: certificates.status,
    })
    .from(certificates)
    .innerJoin(clusters, eq(clusters.id, certificates.clusterId))
    .where(inArray(certificates.deviceId, ids))
    .orderBy(desc(certificates.notAfter));
  const scoped = [...new Set(rows.flatMap((r) => r.device.clusterIds))];
  const names = scoped.length
    ? await db.select({ id: clusters.id, name: clusters.name }).from(clusters).where(inArray(clusters.id, scoped))
    : [];
  return rows.map(({ device, email }) => ({
    id: device.id,
    name: device.name,
    userEmail: email,
    prefix: device.credentialPrefix,
    ipAddress: device.ipAddress,
    lastUsedIp: device.lastUsedIp,
    createdAt: device.createdAt,
    lastUsedAt: device.lastUsedAt,
    expiresAt: device.expiresAt,
    revokedAt: device.revokedAt,
    clusterNames: device.clusterIds.map((id) => names.find((n) => n.id === id)?.name ?? id),
    certificates: issued
      .filter((c) => c.deviceId === device.id)
      .map((c) => ({ serial: c.serial, clusterName: c.clusterName, databaseUser: c.databaseUser, notAfter: c.notAfter, status: c.status })),
  }));
}
