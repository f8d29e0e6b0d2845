/**
 * The laptop's side of the device endpoints: plain fetch (Node ≥ 18), form-encoded bodies for the
 * OAuth endpoints (RFC 8628 §3.1/§3.4 use application/x-www-form-urlencoded), JSON elsewhere.
 */
export const CLIENT_ID = "cluster-tls-cli";
export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const TIMEOUT_MS = 30_000;

export type DeviceCode = {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
};
export type DeviceToken = { access_token: string; token_type: string; expires_in: number; device_id: string };
export type ClusterAccess = {
  id: string;
  name: string;
  databaseUsers: string[];
  connect: { host: string; port: number; dbname: string } | null;
  loginCertificateHours: number;
};
export type Access = {
  user: { email: string; name: string; role: string };
  device: { id: string; name: string; expiresAt: string };
  clusters: ClusterAccess[];
};
export type LoginCertificate = {
  serial: string;
  certificatePem: string;
  notAfter: string;
  rootCertificatesPem: string;
  crlPem: string;
  connect: { host: string; port: number; dbname: string; user: string } | null;
};

/** An HTTP error; `oauthError` is RFC 6749 §5.2's `error` when the body has that shape. */
export class DeviceApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly oauthError: string | null = null,
  ) {
    super(message);
  }
}

export function normalizeServer(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new Error(`${JSON.stringify(input)} is not a URL: give the dashboard's address, e.g. https://pki.example.com`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`${input}: the server URL must start with https:// (or http:// for a local test server)`);
  return url.origin + url.pathname.replace(/\/+$/, "");
}

async function call(
  server: string,
  route: string,
  init: { method: string; bearer?: string; form?: Record<string, string>; json?: unknown },
): Promise<Response> {
  const headers: Record<string, string> = { "user-agent": "cluster-tls-cli", accept: "application/json" };
  let body: string | undefined;
  if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
  if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(init.form).toString();
  } else if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  }
  const url = new URL(route, `${server}/`);
  let response: Response;
  try {
    response = await fetch(url, { method: init.method, headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    throw new DeviceApiError(0, `cannot reach ${url.origin}: ${cause}`);
  }
  if (response.status < 400) return response;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (a proxy's error page): quote the start of it
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error === "string") {
    const description = (parsed as { error_description?: string }).error_description;
    throw new DeviceApiError(response.status, description ? `${error}: ${description}` : error, error);
  }
  const message = (error as { message?: string } | undefined)?.message ?? text.slice(0, 300);
  throw new DeviceApiError(response.status, `${init.method} ${url.pathname}: ${response.status} ${message}`);
}

export async function requestDeviceCode(server: string, deviceName: string): Promise<DeviceCode> {
  return (
    await call(server, "api/v1/device/code", { method: "POST", form: { client_id: CLIENT_ID, device_name: deviceName } })
  ).json() as Promise<DeviceCode>;
}

export async function requestDeviceToken(server: string, deviceCode: string): Promise<DeviceToken> {
  return (
    await call(server, "api/v1/device/token", {
      method: "POST",
      form: { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: CLIENT_ID },
    })
  ).json() as Promise<DeviceToken>;
}

export async function fetchAccess(server: string, token: string): Promise<Access> {
  return (await call(server, "api/v1/device/access", { method: "GET", bearer: token })).json() as Promise<Access>;
}

export async function requestLoginCertificate(
  server: string,
  token: string,
  cluster: string,
  databaseUser: string,
  csrPem: string,
): Promise<LoginCertificate> {
  const route = `api/v1/clusters/${encodeURIComponent(cluster)}/login-certificates`;
  return (await call(server, route, { method: "POST", bearer: token, json: { databaseUser, csrPem } })).json() as Promise<LoginCertificate>;
}

export async function forgetDevice(server: string, token: string): Promise<void> {
  await call(server, "api/v1/device", { method: "DELETE", bearer: token });
}
