import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { AppError } from "@/lib/errors/app-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";

export const dynamic = "force-dynamic";

/** `{reason?}` → revoked; the CRL is re-signed at once. An empty body means reason "unspecified". */
export const POST = apiHandler<{ serial: string }>(async ({ request, db, actor, params }) => {
  const text = await request.text();
  let reason: string | undefined;
  if (text.trim()) {
    try {
      reason = (JSON.parse(text) as { reason?: string }).reason;
    } catch {
      throw new AppError("VALIDATION_FAILED", "request body is not valid JSON");
    }
  }
  const { keyRing } = await getRuntime();
  return NextResponse.json(await revokeCertificate(db, actor, keyRing, params.serial, reason));
});
