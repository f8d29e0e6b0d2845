import { NextResponse } from "next/server";
import { apiHandler, readJsonObject } from "@/lib/api/api-handler";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { addNode } from "@/lib/services/nodes/add-node";
import type { TAddNodeInput } from "@/lib/validations/nodes";

export const dynamic = "force-dynamic";

/** `{hostname, role, dnsNames?, ipAddresses?}` → the node with its new server `certificate`. */
export const POST = apiHandler<{ cluster: string }>(async ({ request, db, actor, params }) => {
  const body = await readJsonObject(request);
  const { keyRing } = await getRuntime();
  const { node, certificate } = await addNode(db, actor, keyRing, params.cluster, body as TAddNodeInput);
  return NextResponse.json(
    {
      id: node.id,
      hostname: node.hostname,
      role: node.role,
      port: node.port,
      dnsNames: node.dnsNames,
      ipAddresses: node.ipAddresses,
      certificate: {
        serial: certificate.serialHex,
        subject: certificate.subject,
        sans: [...certificate.dnsNames, ...certificate.ipAddresses],
        notBefore: certificate.notBefore.toISOString(),
        notAfter: certificate.notAfter.toISOString(),
        fingerprintSha256: certificate.fingerprintSha256,
        certificatePem: certificate.certificatePem,
      },
    },
    { status: 201 },
  );
});
