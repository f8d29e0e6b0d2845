import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { getRotationOperation } from "@/lib/api/openapi/operations";
import { getRotationStatus } from "@/lib/services/rotation/rotation-status";

export const dynamic = "force-dynamic";

/** Where the cluster's CA rotation stands: `step` (create|publish|reissue|reissuing|retire), progress, both CAs. */
export const GET = apiHandler(getRotationOperation, async ({ db, actor, params }) => {
  return NextResponse.json(await getRotationStatus(db, actor, params.cluster));
});
