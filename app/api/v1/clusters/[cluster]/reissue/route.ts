import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { AppError } from "@/lib/errors/app-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { isUuid } from "@/lib/validations/uuid";

export const dynamic = "force-dynamic";

/**
 * `{nodeIds?, revokePrevious?}` → re-issues the server certificates of every live node of the
 * cluster (or of those nodes): `{total, reissued, failed: [{nodeId, hostname, error}]}`.
 */
export const POST = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  const { nodeIds, revokePrevious = false } = await readJsonObject(request, { optional: true });
  if (typeof revokePrevious !== "boolean") throw new AppError("VALIDATION_FAILED", "revokePrevious must be true or false");
  if (nodeIds !== undefined && !(Array.isArray(nodeIds) && nodeIds.length <= 10_000 && nodeIds.every((id) => typeof id === "string" && isUuid(id)))) {
    throw new AppError("VALIDATION_FAILED", "nodeIds: a list of node ids (UUIDs), at most 10,000", { nodeIds: ["UUIDs"] });
  }
  const { keyRing } = await getRuntime();
  return NextResponse.json(await bulkReissueNodes(db, actor, keyRing, params.cluster, { nodeIds: nodeIds as string[] | undefined, revokePrevious }));
});
