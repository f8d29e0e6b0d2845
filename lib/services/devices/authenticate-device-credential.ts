import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { assertNotThrottled, refuse } from "@/lib/services/agents/agent-failures";
import { sameHash, sha256Hex } from "@/lib/services/agents/agent-secrets";
import { isWellFormedDeviceCredential } from "./device-secrets";
import { deviceLabel } from "./exchange-device-code";

const LAST_USED_RESOLUTION_MS = 60_000; // write last_used_at at most once a minute per device

export type DeviceActor = Extract<Actor, { type: "device" }>;
type RequestInfo = { ipAddress: string | null; userAgent: string | null };

/**
 * A device credential (`ctlsd_…`) → the Actor of that developer login: its user's current role,
 * narrowed to the login's clusters. Revoked, expired, or a disabled user → 401 that says which.
 */
export async function authenticateDeviceCredential(db: Database, credential: string, request: RequestInfo): Promise<DeviceActor> {
  assertNotThrottled(request.ipAddress, "device credentials");
  if (!isWellFormedDeviceCredential(credential))
    refuse(
      request.ipAddress,
      new AppError("UNAUTHENTICATED", "malformed device credential (expected ctlsd_<prefix>_<secret>); run cluster-tls login again"),
    );
  const hash = sha256Hex(credential);
  const { devices, users } = schema;
  const [row] = await db
    .select({ device: devices, email: users.email, role: users.role, disabledAt: users.disabledAt })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(eq(devices.credentialHash, hash));
  if (!row || !sameHash(row.device.credentialHash, hash))
    return refuse(request.ipAddress, new AppError("UNAUTHENTICATED", "unknown device credential; run cluster-tls login again"));
  const { device } = row;
  const label = deviceLabel(device.name, device.credentialPrefix, row.email);
  if (device.revokedAt)
    throw new AppError("UNAUTHENTICATED", `${label} was revoked on ${device.revokedAt.toISOString()}; run cluster-tls login again`);
  const now = new Date();
  if (device.expiresAt <= now)
    throw new AppError("UNAUTHENTICATED", `${label} expired on ${device.expiresAt.toISOString()}; run cluster-tls login again`);
  if (row.disabledAt) throw new AppError("UNAUTHENTICATED", `${label}: ${row.email} is disabled`);
  if (
    !device.lastUsedAt ||
    now.getTime() - device.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS ||
    device.lastUsedIp !== request.ipAddress
  ) {
    await db.update(devices).set({ lastUsedAt: now, lastUsedIp: request.ipAddress }).where(eq(devices.id, device.id));
  }
  return { type: "device", id: device.id, userId: device.userId, role: row.role, clusterIds: device.clusterIds, label, ...request };
}

/** Device endpoints answer only a device credential. */
export function assertDeviceActor(actor: Actor): asserts actor is DeviceActor {
  if (actor.type !== "device")
    throw new AppError("FORBIDDEN", `${actor.label}: only a device credential from cluster-tls login may use this endpoint`);
}
