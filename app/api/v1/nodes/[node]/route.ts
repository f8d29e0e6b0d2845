import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { removeNodeOperation } from "@/lib/api/openapi/operations";
import { removeNode } from "@/lib/services/nodes/remove-node";

export const dynamic = "force-dynamic";

/** Removes the node: its certificates are revoked (cessationOfOperation) and the CRL re-signed. */
export const DELETE = apiHandler(removeNodeOperation, async ({ db, actor, keyRing, params }) => {
  const { node, revokedSerials } = await removeNode(db, actor, keyRing, params.node);
  return NextResponse.json({ id: node.id, hostname: node.hostname, removedAt: node.removedAt.toISOString(), revokedSerials });
});
