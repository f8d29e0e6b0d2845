import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { addNodeOperation } from "@/lib/api/openapi/operations";
import { addNode } from "@/lib/services/nodes/add-node";

export const dynamic = "force-dynamic";

/** `{hostname, role, dnsNames?, ipAddresses?}` → the node with its new server `certificate`. */
export const POST = apiHandler(addNodeOperation, async ({ db, actor, keyRing, params, input }) => {
  const { node, certificate } = await addNode(db, actor, keyRing, params.cluster, input);
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
