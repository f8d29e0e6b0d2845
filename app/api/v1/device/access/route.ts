import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { getDeviceAccessOperation } from "@/lib/api/openapi/operations";
import { getDeviceAccess } from "@/lib/services/devices/get-device-access";

export const dynamic = "force-dynamic";

/** A device credential's user, the device, and the clusters and database users it may log in to. */
export const GET = apiHandler(getDeviceAccessOperation, async ({ db, actor }) =>
  NextResponse.json(await getDeviceAccess(db, actor), { headers: { "Cache-Control": "no-store" } }),
);
