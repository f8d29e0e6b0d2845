/** The agent's side of /api/v1/agent/*: plain fetch (Node ≥ 18 has it), the credential as a bearer token. */

export type ServerState = {
  node: { id: string; hostname: string; clusterName: string; names: string[] };
  certificate: { serial: string; certificatePem: string; chainPem: string; notAfter: string } | null;
  rootPem: string;
  crlPem: string;
  crlNextUpdate: string | null;
  renewalRequested: boolean;
};

export class ServerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 30_000;

async function request(
  server: string,
  route: string,
  init: { method: string; credential?: string; body?: unknown; etag?: string | null },
): Promise<Response> {
  const headers: Record<string, string> = { "user-agent": "cluster-tls-agent" };
  if (init.credential) headers.authorization = `Bearer ${init.credential}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.etag) headers["if-none-match"] = init.etag;
  const url = new URL(route, server.endsWith("/") ? server : `${server}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ServerError(
      0,
      `cannot reach ${url.origin}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`,
    );
  }
  if (response.status >= 400) {
    const text = await response.text();
    let message = text.slice(0, 500);
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message;
    } catch {
      // not the API's JSON error: keep the text
    }
    throw new ServerError(response.status, `${init.method} ${url.pathname}: ${response.status} ${message}`);
  }
  return response;
}

export async function enroll(
  server: string,
  code: string,
  csrPem: string,
): Promise<{ credential: string; nodeId: string; hostname: string; clusterName: string }> {
  return (await request(server, "api/v1/agent/enroll", { method: "POST", body: { code, csrPem } })).json() as never;
}

/** null: unchanged since `etag` (304). */
export async function fetchState(
  server: string,
  credential: string,
  etag: string | null,
): Promise<{ state: ServerState; etag: string } | null> {
  const response = await request(server, "api/v1/agent/state", { method: "GET", credential, etag });
  if (response.status === 304) return null;
  return { state: (await response.json()) as ServerState, etag: response.headers.get("etag") ?? "" };
}

export async function submitCsr(server: string, credential: string, csrPem: string): Promise<void> {
  await request(server, "api/v1/agent/csr", { method: "POST", credential, body: { csrPem } });
}

export async function postStatus(
  server: string,
  credential: string,
  status: unknown,
): Promise<{ issuedSerial: string | null; confirmed: boolean }> {
  return (await request(server, "api/v1/agent/status", { method: "POST", credential, body: status })).json() as never;
}
