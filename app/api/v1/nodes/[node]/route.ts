import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { removeNode } from "@/lib/services/nodes/remove-node";

export const dynamic = "force-dynamic";

/** Removes the node: its certificates are revoked (cessationOfOperation) and the CRL re-signed. */
export const DELETE = apiHandler<{ node: string }>(async ({ db, actor, params }) => {
  const { keyRing } = await getRuntime();
  const { node, revokedSerials } = await removeNode(db, actor, keyRing, params.node);
  return NextResponse.json({ id: node.id, hostname: node.hostname, removedAt: node.removedAt.toISOString(), revokedSerials });
});
