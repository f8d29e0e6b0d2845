import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { getClusterOperation } from "@/lib/api/openapi/operations";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";

export const dynamic = "force-dynamic";

export const GET = apiHandler(getClusterOperation, async ({ db, actor, params }) => {
  const cluster = await getClusterOrThrow(db, actor, params.cluster);
  return NextResponse.json({
    id: cluster.id,
    name: cluster.name,
    description: cluster.description,
    keyAlgorithm: cluster.keyAlgorithm,
    serverCertDays: cluster.serverCertDays,
    clientCertDays: cluster.clientCertDays,
    renewBeforeDays: cluster.renewBeforeDays,
    crlDays: cluster.crlDays,
    sharedDnsNames: cluster.sharedDnsNames,
    allowWildcardNames: cluster.allowWildcardNames,
    permittedNames: cluster.permittedNames,
    createdAt: cluster.createdAt.toISOString(),
  });
});
