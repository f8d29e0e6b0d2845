import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { requestInfoFrom } from "@/lib/auth/request-info";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { getPublishedFile, type PublishedFileVariant } from "@/lib/services/clusters/get-published-file";
import { authenticateApiToken } from "@/lib/services/tokens/authenticate-api-token";
import { answerPublishedFile, apiPublishedFileHeaders } from "./published-file-response";

/** Where scripts/serve.mjs (plain JS, outside the bundles) finds the handler. */
const PUBLISHED_FILE_FAST_PATH = Symbol.for("cluster-tls.published-file-fast-path");

export type FastPathHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const ROUTE = /^\/api\/v1\/clusters\/([^/?#]+)\/(root\.crt|crl)(?:\?([^#]*))?$/;

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(", ") : value) ?? null;
}

/**
 * `GET /api/v1/clusters/{cluster}/root.crt` and `/crl` answered by Node's HTTP server before
 * Next.js sees them: what every node and client polls, so it must scale. Measured on the 2-core
 * machine, Next's route pipeline alone costs ~0.7 ms of CPU per request (a bare Node handler
 * ~0.01 ms), capping these routes near 1,500 req/s however cheap our part is.
 *
 * Same functions as the route handlers (token check, access check, cache, headers). Only the plain
 * success — 200 or 304 — is answered here: anything else (HEAD, an odd URL, a missing or bad
 * token, an unknown cluster, a database error) returns false and the Next.js route answers it, so
 * errors keep exactly the bodies and statuses the API documents.
 */
export const servePublishedFileFast: FastPathHandler = async (req, res) => {
  if (req.method !== "GET" || !req.url) return false;
  const match = ROUTE.exec(req.url);
  if (!match) return false;
  let clusterRef: string;
  try {
    clusterRef = decodeURIComponent(match[1]!);
  } catch {
    return false;
  }
  const variant: PublishedFileVariant =
    match[2] === "root.crt" ? "root.crt" : new URLSearchParams(match[3] ?? "").get("format") === "pem" ? "crl.pem" : "crl";
  let answer;
  try {
    const { database } = await getRuntime();
    // scripts/serve.mjs has set the client address header before offering the request here.
    const context = requestInfoFrom({ get: (name) => header(req, name) });
    const actor = await authenticateApiToken(database.db, header(req, "authorization"), context);
    const file = await getPublishedFile(database.db, actor, clusterRef, variant);
    answer = answerPublishedFile(header(req, "if-none-match"), file, apiPublishedFileHeaders(variant, file));
  } catch {
    return false;
  }
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body ?? undefined);
  return true;
};

/**
 * Called once at start-up (instrumentation), in the process scripts/serve.mjs runs: the published
 * files, then whatever else polls as often (the agents' endpoints).
 */
export function installPublishedFileFastPath(...others: FastPathHandler[]): void {
  const handlers = [servePublishedFileFast, ...others];
  const serve: FastPathHandler = async (req, res) => {
    for (const handler of handlers) if (await handler(req, res)) return true;
    return false;
  };
  (globalThis as Record<symbol, unknown>)[PUBLISHED_FILE_FAST_PATH] = serve;
}
