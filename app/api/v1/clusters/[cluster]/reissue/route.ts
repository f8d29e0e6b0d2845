import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { bulkReissueOperation } from "@/lib/api/openapi/operations";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";

export const dynamic = "force-dynamic";

/**
 * `{nodeIds?, revokePrevious?}` → re-issues the server certificates of every live node of the
 * cluster (or of those nodes): `{total, reissued, failed: [{nodeId, hostname, error}]}`.
 */
export const POST = apiHandler(bulkReissueOperation, async ({ db, actor, keyRing, params, input }) =>
  NextResponse.json(
    await bulkReissueNodes(db, actor, keyRing, params.cluster, { nodeIds: input.nodeIds, revokePrevious: input.revokePrevious }),
  ),
);
