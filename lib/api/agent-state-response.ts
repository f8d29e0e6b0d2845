import "server-only";
import type { Database } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { getAgentState } from "@/lib/services/agents/get-agent-state";
import { matchesIfNoneMatch } from "./published-file-response";

/**
 * GET /api/v1/agent/state's answer, for the route and for the fast path alike: the node's state,
 * or a bodiless 304 when If-None-Match holds its ETag (an idle fleet costs 304s).
 */
export async function answerAgentState(
  db: Database,
  actor: Actor,
  ifNoneMatch: string | null,
): Promise<{ status: 200 | 304; headers: Record<string, string>; body: string | null }> {
  const { body, etag } = await getAgentState(db, actor);
  const headers = { ETag: etag, "Cache-Control": "private, no-cache" };
  if (matchesIfNoneMatch(ifNoneMatch, etag)) return { status: 304, headers, body: null };
  return { status: 200, headers: { ...headers, "Content-Type": "application/json" }, body };
}
