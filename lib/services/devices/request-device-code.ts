import "server-only";
import { schema, type Database } from "@/lib/db";
import { ZDeviceCodeRequest } from "@/lib/validations/devices";
import {
  DEVICE_CLIENT_ID,
  DEVICE_CODE_TTL_SECONDS,
  DEVICE_POLL_INTERVAL_SECONDS,
  formatUserCode,
  generateDeviceCode,
  generateUserCode,
} from "./device-secrets";
import { OAuthError, parseOAuthRequest } from "./oauth-error";

/**
 * RFC 8628 §3.1–3.2: a new device authorization. Anyone may ask (the laptop is not signed in yet);
 * nothing is granted until a signed-in user approves the user code at /device. The requested
 * cluster names are kept as given and resolved against the approving user's clusters, so this
 * answer says nothing about which clusters exist.
 */
export async function requestDeviceCode(
  db: Database,
  input: Record<string, unknown>,
  request: { ipAddress: string | null; userAgent: string | null },
  origin: string,
) {
  const { client_id, device_name, scope } = parseOAuthRequest(ZDeviceCodeRequest, input);
  if (client_id !== DEVICE_CLIENT_ID)
    throw new OAuthError(
      "invalid_client",
      `unknown client_id ${JSON.stringify(client_id.slice(0, 60))} (cluster-tls login sends "${DEVICE_CLIENT_ID}")`,
    );
  const { deviceCode, hash } = generateDeviceCode();
  const expiresAt = new Date(Date.now() + DEVICE_CODE_TTL_SECONDS * 1000);
  // A user code collides with a pending one about once in 2^34 / pending: draw again.
  for (let attempt = 0; ; attempt++) {
    const userCode = generateUserCode();
    const inserted = await db
      .insert(schema.deviceAuthorizations)
      .values({
        deviceCodeHash: hash,
        userCode,
        clientId: client_id,
        deviceName: device_name,
        requestedClusters: scope,
        ipAddress: request.ipAddress,
        userAgent: request.userAgent,
        expiresAt,
        intervalSeconds: DEVICE_POLL_INTERVAL_SECONDS,
      })
      .onConflictDoNothing()
      .returning({ id: schema.deviceAuthorizations.id });
    if (inserted.length === 0 && attempt < 5) continue;
    if (inserted.length === 0) throw new Error("could not draw a free user code");
    const shown = formatUserCode(userCode);
    return {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: `${origin}/device`,
      verification_uri_complete: `${origin}/device?code=${shown}`,
      expires_in: DEVICE_CODE_TTL_SECONDS,
      interval: DEVICE_POLL_INTERVAL_SECONDS,
    };
  }
}
