import { apiHandler } from "@/lib/api/api-handler";
import { matchesIfNoneMatch } from "@/lib/api/published-file-response";
import { getAgentState } from "@/lib/services/agents/get-agent-state";

export const dynamic = "force-dynamic";

/**
 * What the calling agent's node should install (its certificate and chain, root.crt, the CRLs,
 * whether a new key is wanted). If-None-Match with the last ETag → 304: an idle fleet costs 304s.
 */
export const GET = apiHandler(async ({ request, db, actor }) => {
  const { body, etag } = await getAgentState(db, actor);
  const headers = { ETag: etag, "Cache-Control": "private, no-cache" };
  if (matchesIfNoneMatch(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, "Content-Type": "application/json" } });
});
