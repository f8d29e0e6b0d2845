import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { listVisibleClusters } from "@/lib/services/clusters/list-visible-clusters";

export const dynamic = "force-dynamic";

export const GET = apiHandler(async ({ db, actor }) => NextResponse.json({ clusters: await listVisibleClusters(db, actor) }));
