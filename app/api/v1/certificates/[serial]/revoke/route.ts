import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { AppError } from "@/lib/errors/app-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";

export const dynamic = "force-dynamic";

/** `{reason?}` → revoked; the CRL is re-signed at once. An empty body means reason "unspecified". */
export const POST = apiHandler<{ serial: string }>(async ({ request, db, actor, params }) => {
  const { reason } = await readJsonObject(request, { optional: true });
  if (reason !== undefined && typeof reason !== "string") throw new AppError("VALIDATION_FAILED", "reason must be a string");
  const { keyRing } = await getRuntime();
  return NextResponse.json(await revokeCertificate(db, actor, keyRing, params.serial, reason));
});
