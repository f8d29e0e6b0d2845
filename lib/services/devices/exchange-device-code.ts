import "server-only";
import { eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { sha256Hex } from "@/lib/services/agents/agent-secrets";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { ZDeviceTokenRequest } from "@/lib/validations/devices";
import {
  DEVICE_CLIENT_ID,
  DEVICE_GRANT_TYPE,
  DEVICE_LIFETIME_DAYS,
  SLOW_DOWN_STEP_SECONDS,
  generateDeviceCredential,
} from "./device-secrets";
import { OAuthError, parseOAuthRequest } from "./oauth-error";

/**
 * RFC 8628 §3.4–3.5: the laptop polls with its device code. Pending → authorization_pending;
 * sooner than the interval → slow_down (and the interval grows by 5 s for good); denied →
 * access_denied; past expires_in → expired_token; approved → the device credential, once: the code
 * is then spent, and a second exchange is invalid_grant. The row is locked so two polls cannot
 * both exchange it.
 */
export async function exchangeDeviceCode(
  db: Database,
  input: Record<string, unknown>,
  request: { ipAddress: string | null; userAgent: string | null },
) {
  const { grant_type, device_code, client_id } = parseOAuthRequest(ZDeviceTokenRequest, input);
  if (grant_type !== DEVICE_GRANT_TYPE) throw new OAuthError("unsupported_grant_type", `grant_type must be ${DEVICE_GRANT_TYPE}`);
  if (client_id !== DEVICE_CLIENT_ID) throw new OAuthError("invalid_client", `unknown client_id ${JSON.stringify(client_id.slice(0, 60))}`);

  const outcome = await db.transaction(async (tx) => {
    const { deviceAuthorizations: table } = schema;
    const [row] = await tx
      .select()
      .from(table)
      .where(eq(table.deviceCodeHash, sha256Hex(device_code)))
      .for("update");
    if (!row || row.clientId !== client_id) return new OAuthError("invalid_grant", "unknown device code");
    if (row.state === "exchanged")
      return new OAuthError("invalid_grant", "this device code was already exchanged for a device credential; run cluster-tls login again");
    const now = new Date();
    if (row.expiresAt <= now)
      return new OAuthError("expired_token", `the device code expired at ${row.expiresAt.toISOString()}; run cluster-tls login again`);
    if (row.lastPolledAt && now.getTime() - row.lastPolledAt.getTime() < row.intervalSeconds * 1000) {
      const interval = row.intervalSeconds + SLOW_DOWN_STEP_SECONDS;
      await tx.update(table).set({ lastPolledAt: now, intervalSeconds: interval }).where(eq(table.id, row.id));
      return new OAuthError("slow_down", `polled sooner than every ${row.intervalSeconds} s; poll every ${interval} s from now on`);
    }
    await tx.update(table).set({ lastPolledAt: now }).where(eq(table.id, row.id));
    if (row.state === "pending") return new OAuthError("authorization_pending", "waiting for the user to approve the code at /device");
    if (row.state === "denied") return new OAuthError("access_denied", "the user denied this login");

    const [user] = await tx
      .select({ id: schema.users.id, email: schema.users.email, role: schema.users.role, disabledAt: schema.users.disabledAt })
      .from(schema.users)
      .where(eq(schema.users.id, row.userId!));
    if (!user || user.disabledAt) return new OAuthError("access_denied", "the user who approved this login is disabled");
    const { credential, prefix, hash } = generateDeviceCredential();
    const expiresAt = new Date(now.getTime() + DEVICE_LIFETIME_DAYS * 86_400_000);
    const [device] = await tx
      .insert(schema.devices)
      .values({
        userId: user.id,
        name: row.deviceName || "unnamed device",
        credentialPrefix: prefix,
        credentialHash: hash,
        clusterIds: row.clusterIds,
        ipAddress: row.ipAddress,
        expiresAt,
      })
      .returning();
    await tx.update(table).set({ state: "exchanged", deviceId: device!.id }).where(eq(table.id, row.id));
    const actor: Actor = {
      type: "device",
      id: device!.id,
      userId: user.id,
      role: user.role,
      clusterIds: row.clusterIds,
      label: deviceLabel(device!.name, prefix, user.email),
      ...request,
    };
    await recordAuditEvent(tx, actor, {
      action: "device.created",
      objectType: "device",
      objectId: device!.id,
      details: { name: device!.name, prefix, user: user.email, expiresAt: expiresAt.toISOString() },
    });
    return {
      access_token: credential,
      token_type: "Bearer" as const,
      expires_in: Math.floor((expiresAt.getTime() - now.getTime()) / 1000),
      device_id: device!.id,
    };
  });
  if (outcome instanceof OAuthError) throw outcome;
  return outcome;
}

/** How a device appears in audit rows and messages: its name, credential prefix and user. */
export const deviceLabel = (name: string, prefix: string, email: string) => `device ${name} (${prefix}) of ${email}`;
