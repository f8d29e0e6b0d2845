import { apiHandler } from "@/lib/api/api-handler";
import { answerAgentState } from "@/lib/api/agent-state-response";
import { getAgentStateOperation } from "@/lib/api/openapi/operations";

export const dynamic = "force-dynamic";

/**
 * What the calling agent's node should install (its certificate and chain, root.crt, the CRLs,
 * whether a new key is wanted). If-None-Match with the last ETag → 304: an idle fleet costs 304s.
 * `npm start` answers the successful calls before Next.js (lib/api/agent-fast-path.ts).
 */
export const GET = apiHandler(getAgentStateOperation, async ({ request, db, actor }) => {
  const { status, headers, body } = await answerAgentState(db, actor, request.headers.get("if-none-match"));
  return new Response(body, { status, headers });
});
