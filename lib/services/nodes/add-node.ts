import "server-only";
import { issuedCertificateValues } from "@/lib/services/certificates/issued-certificate-values";
import { schema, type Database } from "@/lib/db";
import { pgErrorCode, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { encryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { validationError } from "@/lib/validations/field-errors";
import { ZAddNodeInput, type TAddNodeInput } from "@/lib/validations/nodes";
import { issueForNode } from "./issue-for-node";

/**
 * Adds a node and issues its server certificate. The SANs are topology-aware: the host name
 * (also the CN), the node's extra names and IPs, and the cluster's shared names (VIPs, service
 * names), so every name a client may dial verifies at sslmode=verify-full.
 */
export async function addNode(db: Database, actor: Actor, keyRing: KeyRing, clusterRef: string, input: TAddNodeInput) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const parsed = ZAddNodeInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid node");
  const { hostname, role, port, dnsNames, ipAddresses } = parsed.data;

  const { caId, issuer } = await loadClusterIssuer(db, cluster.id, keyRing.all);
  // The same issuance as a re-issue: names, name policy and lifetime are checked in one place.
  const issued = await issueForNode({ node: { hostname, dnsNames, ipAddresses }, cluster }, issuer);

  try {
    return await db.transaction(async (tx) => {
      const [node] = await tx.insert(schema.nodes).values({ clusterId: cluster.id, hostname, role, port, dnsNames, ipAddresses }).returning();
      const [certificate] = await tx
        .insert(schema.certificates)
        .values(
          issuedCertificateValues({
            clusterId: cluster.id,
            caId,
            kind: "server",
            commonName: hostname,
            issued,
            actor,
            encryptedPrivateKey: encryptSecret(issued.privateKeyPem!, keyRing.current),
            nodeId: node!.id,
          }),
        )
        .returning();
      await recordAuditEvent(tx, actor, {
        action: "node.create",
        objectType: "node",
        objectId: node!.id,
        clusterId: cluster.id,
        details: { name: hostname, role, serial: issued.serialHex, sans: [...issued.dnsNames, ...issued.ipAddresses] },
      });
      return { node: node!, certificate: certificate! };
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) {
      throw new AppError("CONFLICT", `cluster "${cluster.name}" already has a node named ${hostname}`, { hostname: ["Already in this cluster"] });
    }
    throw error;
  }
}
