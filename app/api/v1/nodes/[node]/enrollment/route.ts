import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { createEnrollmentCodeOperation } from "@/lib/api/openapi/operations";
import { createEnrollmentCode } from "@/lib/services/agents/create-enrollment-code";

export const dynamic = "force-dynamic";

/** A one-time enrollment code for the node's agent (shown once, single use, valid for an hour). */
export const POST = apiHandler(createEnrollmentCodeOperation, async ({ db, actor, params }) => {
  const { code, expiresAt, nodeId, hostname } = await createEnrollmentCode(db, actor, params.node);
  return NextResponse.json(
    { nodeId, hostname, code, expiresAt: expiresAt.toISOString() },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
});
