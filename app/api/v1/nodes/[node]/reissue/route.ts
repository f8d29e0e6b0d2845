import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { AppError } from "@/lib/errors/app-error";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

export const dynamic = "force-dynamic";

/** `{revokePrevious?}` → the node's new certificate; the previous one is superseded (or revoked). */
export const POST = apiHandler<{ node: string }>(async ({ request, db, actor, params }) => {
  const { revokePrevious = false } = await readJsonObject(request, { optional: true });
  if (typeof revokePrevious !== "boolean") throw new AppError("VALIDATION_FAILED", "revokePrevious must be true or false");
  const { keyRing } = await getRuntime();
  const { node, certificate, previousSerial } = await reissueNodeCertificate(db, actor, keyRing, params.node, { revokePrevious });
  return NextResponse.json({
    nodeId: node.id,
    hostname: node.hostname,
    previousSerial,
    certificate: {
      serial: certificate.serialHex,
      sans: [...certificate.dnsNames, ...certificate.ipAddresses],
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      fingerprintSha256: certificate.fingerprintSha256,
      certificatePem: certificate.certificatePem,
    },
  });
});
