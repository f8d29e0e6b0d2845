import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { checkedLookup } from "./checked-lookup";
import { isPrivateAddress, privateTargetsAllowed } from "./private-address";

export type WebhookAttempt = { ok: boolean; statusCode: number | null; error: string | null };

const TIMEOUT_MS = 10_000;
const REFUSED = "refused: loopback, link-local or private address";

/**
 * POSTs one delivery. Unless CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE=1, the address actually connected
 * to must be public (an IP literal is checked here, a name by checkedLookup as it is resolved).
 * Redirects are not followed, and the log keeps only the class of an error ("connection refused",
 * "timeout", "HTTP 502"), never a Location or a socket message: the log of an admin-chosen URL must
 * not become a port scanner's output.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  allowPrivate = privateTargetsAllowed(),
): Promise<WebhookAttempt> {
  const target = new URL(url);
  const literal = target.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && isIP(literal) !== 0 && isPrivateAddress(literal))
    return Promise.resolve({ ok: false, statusCode: null, error: REFUSED });
  const send = target.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve) => {
    const request = send(
      target,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        agent: false, // a fresh connection: a pooled socket would skip the address check
        ...(allowPrivate ? {} : { lookup: checkedLookup() }),
      },
      (response) => {
        response.destroy(); // the answer's body is not used
        resolve(attemptOf(response.statusCode ?? 0));
      },
    );
    request.on("error", (error) => resolve({ ok: false, statusCode: null, error: errorClass(error) }));
    request.end(body);
  });
}

function attemptOf(status: number): WebhookAttempt {
  if (status >= 200 && status < 300) return { ok: true, statusCode: status, error: null };
  if (status >= 300 && status < 400) return { ok: false, statusCode: status, error: `redirect (HTTP ${status}) not followed` };
  return { ok: false, statusCode: status, error: `HTTP ${status}` };
}

const CLASSES: Record<string, string> = {
  EPRIVATETARGET: REFUSED,
  ABORT_ERR: "timeout", // the only abort is the timeout's signal
  ETIMEDOUT: "timeout",
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection reset",
  ENOTFOUND: "DNS lookup failed",
  EAI_AGAIN: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "host unreachable",
};

function errorClass(error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? "");
  if (CLASSES[code]) return CLASSES[code];
  // OpenSSL verification codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, …) and Node's ERR_TLS_*.
  if (/CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_/.test(code)) return "TLS error";
  return "connection failed";
}
