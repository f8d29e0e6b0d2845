import "server-only";
import { issuedCertificateValues } from "@/lib/services/certificates/issued-certificate-values";
import { schema, type Database } from "@/lib/db";
import { pgErrorCode, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { encryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import {
  issueNodeClientCertificate,
  nodeClientLogin,
  recordNodeClientCertificates,
} from "@/lib/services/certificates/node-client-certificate";
import { assertScopeAllows, resolveClusterScope } from "@/lib/services/clusters/resolve-cluster-scope";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { validationError } from "@/lib/validations/field-errors";
import { ZAddNodeInput, type TAddNodeInput } from "@/lib/validations/nodes";
import { issueForNode } from "./issue-for-node";

/**
 * Adds a node and issues its server certificate. The SANs are topology-aware: the host name
 * (also the CN), the node's extra names and IPs, and the cluster's shared names (VIPs, service
 * names), so every name a client may dial verifies at sslmode=verify-full. A replica gets its
 * replication certificate (PgBouncer its backend certificate) here too: bundle downloads only read it.
 */
export async function addNode(db: Database, actor: Actor, keyRing: KeyRing, clusterRef: string, input: TAddNodeInput) {
  const scope = await resolveClusterScope(db, actor, clusterRef);
  assertScopeAllows(scope, "cluster:manage");
  const { cluster } = scope;
  const parsed = ZAddNodeInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid node");
  const { hostname, role, port, dnsNames, ipAddresses } = parsed.data;

  const clusterIssuer = await loadClusterIssuer(db, cluster, keyRing.all);
  const { caId, issuer } = clusterIssuer;
  // The same issuance as a re-issue: names, name policy and lifetime are checked in one place.
  const issued = await issueForNode({ node: { hostname, dnsNames, ipAddresses }, cluster }, issuer);
  const login = nodeClientLogin(role, cluster.replicationUser);
  const clientLeaf = login ? await issueNodeClientCertificate(cluster, clusterIssuer, login.databaseUser) : null;

  try {
    return await db.transaction(async (tx) => {
      const [node] = await tx
        .insert(schema.nodes)
        .values({ clusterId: cluster.id, hostname, role, port, dnsNames, ipAddresses })
        .returning();
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
      const clientIssues = login && clientLeaf ? [{ nodeId: node!.id, databaseUser: login.databaseUser, leaf: clientLeaf }] : [];
      await recordNodeClientCertificates(tx, actor, keyRing, { clusterId: cluster.id, caId, issues: clientIssues });
      await recordAuditEvent(tx, actor, {
        action: "node.create",
        objectType: "node",
        objectId: node!.id,
        clusterId: cluster.id,
        details: {
          name: hostname,
          role,
          serial: issued.serialHex,
          sans: [...issued.dnsNames, ...issued.ipAddresses],
          ...(login && clientLeaf ? { clientCertificate: { user: login.databaseUser, serial: clientLeaf.serialHex } } : {}),
        },
      });
      return { node: node!, certificate: certificate! };
    });
  } catch (error) {
    if (pgErrorCode(error) === UNIQUE_VIOLATION) {
      throw new AppError("CONFLICT", `cluster "${cluster.name}" already has a node named ${hostname}`, {
        hostname: ["Already in this cluster"],
      });
    }
    throw error;
  }
}
