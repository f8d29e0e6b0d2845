import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { listClusterCertificates } from "@/lib/services/certificates/list-cluster-certificates";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ cluster: string }>(async ({ db, actor, params }) =>
  NextResponse.json({ certificates: await listClusterCertificates(db, actor, params.cluster) }),
);
