import "server-only";
import { assertScopeAllows } from "@/lib/services/clusters/resolve-cluster-scope";
import type { Actor } from "@/lib/access/actor";
import { roleBundleFiles } from "@/lib/bundles/server-bundle-files";
import { serverReadme } from "@/lib/bundles/server-readme";
import { zipBundle } from "@/lib/bundles/zip";
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { nodeClientLogin, readNodeClientCertificate } from "@/lib/services/certificates/node-client-certificate";
import { readTrustedCrlsPem } from "@/lib/services/clusters/get-current-crl";
import { readTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { getNodeOrThrow } from "./get-node";
import { loadTopology } from "./load-topology";

/**
 * The node's server bundle: server.crt (leaf + intermediates), server.key (0600; none when the
 * node sent a CSR and keeps its own key), root.crt,
 * root.crl, a README, and what the node's role needs (install.sh and snippets for PostgreSQL,
 * PgBouncer or pgpool-II; a replica's replication certificate; PgBouncer's backend certificate).
 * It holds private keys: admins only, audited. It only reads: every certificate in it was issued
 * by a deliberate action (adding or re-issuing the node), so two downloads give the same files.
 */
export async function issueServerBundle(db: Database, actor: Actor, keyRing: KeyRing, nodeId: string) {
  const { node, cluster, scope, certificate } = await getNodeOrThrow(db, actor, nodeId);
  assertScopeAllows(scope, "cluster:manage");
  if (!certificate) throw new AppError("CONFLICT", `${node.hostname} has no active server certificate; re-issue it first`);
  // A node that sent a CSR holds its own key: its bundle has everything else.
  const serverKeyPem = certificate.encryptedPrivateKey ? decryptSecret(certificate.encryptedPrivateKey, keyRing.all) : null;
  const [issuer, { pem: rootPem }, crl, topology] = await Promise.all([
    loadClusterIssuer(db, cluster, keyRing.all),
    readTrustBundle(db, cluster),
    readTrustedCrlsPem(db, cluster),
    loadTopology(db, cluster),
  ]);
  const login = nodeClientLogin(node.role, cluster.replicationUser);
  const nodeClient = login ? await readNodeClientCertificate(db, keyRing, node.id, login.databaseUser) : null;

  const zip = zipBundle(node.hostname, [
    { name: "server.crt", data: [certificate.certificatePem, ...issuer.chainPem].join("") },
    ...(serverKeyPem ? [{ name: "server.key", data: serverKeyPem, mode: 0o600 }] : []),
    { name: "root.crt", data: rootPem },
    { name: "root.crl", data: crl.pem },
    ...roleBundleFiles({
      clusterName: cluster.name,
      hostname: node.hostname,
      role: node.role,
      dataDirectory: cluster.dataDirectory,
      osOwner: cluster.osOwner,
      replicationUser: cluster.replicationUser,
      hbaAuthMode: cluster.hbaAuthMode,
      withServerKey: serverKeyPem !== null,
      ...topology,
      nodeClient:
        nodeClient && login
          ? {
              file: login.file,
              certificatePem: [nodeClient.certificatePem, ...issuer.chainPem].join(""),
              privateKeyPem: nodeClient.privateKeyPem,
            }
          : null,
    }),
    {
      name: "README.md",
      data: serverReadme({
        hostname: node.hostname,
        role: node.role,
        clusterName: cluster.name,
        serialHex: certificate.serialHex,
        notAfter: certificate.notAfter,
        names: [...certificate.dnsNames, ...certificate.ipAddresses],
        crlNextUpdate: crl.nextUpdate,
        dataDirectory: cluster.dataDirectory,
        primaryHost: topology.primaryHost,
        withPgbouncer: topology.withPgbouncer,
        withServerKey: serverKeyPem !== null,
        missingNodeClient: login && !nodeClient ? login.file : null,
      }),
    },
  ]);
  await recordAuditEvent(db, actor, {
    action: "server_bundle.download",
    objectType: "node",
    objectId: node.id,
    clusterId: cluster.id,
    details: {
      name: node.hostname,
      serial: certificate.serialHex,
      clientCertificate: nodeClient && login ? { user: login.databaseUser, serial: nodeClient.serialHex } : null,
    },
  });
  return { zip, filename: `${node.hostname}.zip` };
}
