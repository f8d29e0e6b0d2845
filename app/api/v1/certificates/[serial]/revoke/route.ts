import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { revokeCertificateOperation } from "@/lib/api/openapi/operations";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";

export const dynamic = "force-dynamic";

/** `{reason?}` → revoked; the CRL is re-signed at once. An empty body means reason "unspecified". */
export const POST = apiHandler(revokeCertificateOperation, async ({ db, actor, keyRing, params, input }) =>
  NextResponse.json(await revokeCertificate(db, actor, keyRing, params.serial, input.reason)),
);
