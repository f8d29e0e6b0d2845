import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { requestInfoFrom } from "@/lib/auth/request-info";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { looksLikeNodeCredential } from "@/lib/services/agents/agent-secrets";
import { authenticateNodeCredential } from "@/lib/services/agents/authenticate-node-credential";
import { recordAgentStatus } from "@/lib/services/agents/record-agent-status";
import { answerAgentState } from "./agent-state-response";
import { bearerValue, readOperationBody, toApiError } from "./api-handler";
import { recordAgentStatusOperation } from "./openapi/operations";
import type { FastPathHandler } from "./published-file-fast-path";

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value.join(", ") : value) ?? null;
}

async function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | null) {
  res.writeHead(status, body === null ? headers : { ...headers, "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body ?? undefined);
}

/**
 * `GET /api/v1/agent/state` and `POST /api/v1/agent/status` with a node credential, answered by
 * Node's HTTP server before Next.js: every agent sends both once a minute (10,000 nodes: 333
 * requests/s), and Next's route pipeline alone costs ~0.7 ms of CPU per request on the 2-core
 * machine — about what the whole target of an idle poll is. Same functions as the route handlers
 * (credential check, state and its ETag, status), and errors with the same statuses and bodies:
 * apiHandler answers a refused credential with its error directly, and a node's agent never
 * reaches a permission check that would leave an audit row. Any other caller (an API token, no
 * credential, another method) goes to the Next.js route.
 */
export const serveAgentFast: FastPathHandler = async (req, res) => {
  const pathname = req.url?.split("?", 1)[0];
  const state = req.method === "GET" && pathname === "/api/v1/agent/state";
  const status = req.method === "POST" && pathname === "/api/v1/agent/status";
  if (!state && !status) return false;
  const bearer = bearerValue(header(req, "authorization"));
  if (!bearer || !looksLikeNodeCredential(bearer)) return false;
  try {
    const { database } = await getRuntime();
    // scripts/serve.mjs has set the client address header before offering the request here.
    const actor = await authenticateNodeCredential(database.db, bearer, requestInfoFrom({ get: (name) => header(req, name) }));
    if (state) {
      const answer = await answerAgentState(database.db, actor, header(req, "if-none-match"));
      await send(res, answer.status, answer.headers, answer.body);
    } else {
      // The route's own contract (size, JSON, ZAgentStatusInput): the same 400 and fields either way.
      const input = await readOperationBody(recordAgentStatusOperation, req, header(req, "content-length"));
      await send(res, 200, { "Content-Type": "application/json" }, JSON.stringify(await recordAgentStatus(database.db, actor, input)));
    }
  } catch (error) {
    const answer = toApiError(error);
    await send(res, answer.status, Object.fromEntries(answer.headers), await answer.text());
  }
  return true;
};
