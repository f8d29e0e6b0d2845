import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { listClusterCertificatesOperation } from "@/lib/api/openapi/operations";
import { listClusterCertificates } from "@/lib/services/certificates/list-cluster-certificates";

export const dynamic = "force-dynamic";

export const GET = apiHandler(listClusterCertificatesOperation, async ({ db, actor, params }) =>
  NextResponse.json({ certificates: await listClusterCertificates(db, actor, params.cluster) }),
);
