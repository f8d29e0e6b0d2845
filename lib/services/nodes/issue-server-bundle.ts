import "server-only";
import { derToPem } from "@/lib/pki";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { installScript, pgbouncerIni, pgHbaConf, pgpoolConf, postgresqlConf } from "@/lib/bundles/server-snippets";
import { zipBundle } from "@/lib/bundles/zip";
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { getTrustBundle } from "@/lib/services/clusters/get-trust-bundle";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { getNodeOrThrow } from "./get-node";

/**
 * The node's server bundle: server.crt (leaf + intermediates), server.key (0600), root.crt,
 * root.crl, install.sh and configuration snippets. It holds a private key: admins only, audited.
 */
export async function issueServerBundle(db: Database, actor: Actor, keyRing: KeyRing, nodeId: string) {
  const { node, cluster, certificate } = await getNodeOrThrow(db, actor, nodeId);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  if (!certificate?.encryptedPrivateKey) throw new AppError("CONFLICT", `${node.hostname} has no active server certificate; re-issue it first`);
  const { chainPem } = await loadClusterIssuer(db, cluster.id, keyRing.all);
  const { pem: rootPem } = await getTrustBundle(db, actor, cluster.id);
  const crl = await getCurrentCrl(db, actor, cluster.id);
  const params = { clusterName: cluster.name, hostname: node.hostname, dataDirectory: cluster.dataDirectory, osOwner: cluster.osOwner, replicationUser: cluster.replicationUser, hbaAuthMode: cluster.hbaAuthMode };
  const zip = zipBundle(node.hostname, [
    { name: "server.crt", data: [certificate.certificatePem, ...chainPem].join("") },
    { name: "server.key", data: decryptSecret(certificate.encryptedPrivateKey, keyRing.all), mode: 0o600 },
    { name: "root.crt", data: rootPem },
    { name: "root.crl", data: derToPem(crl.der, "X509 CRL") },
    { name: "install.sh", data: installScript(params), mode: 0o755 },
    { name: "postgresql.conf.snippet", data: postgresqlConf() },
    { name: "pg_hba.conf.snippet", data: pgHbaConf(params) },
    { name: "pgbouncer.ini.snippet", data: pgbouncerIni(params) },
    { name: "pgpool.conf.snippet", data: pgpoolConf() },
    {
      name: "README.md",
      data: `# ${node.hostname} (${node.role}) — ${cluster.name}\n\nCertificate serial ${certificate.serialHex}, valid until ${certificate.notAfter.toISOString()}.\nNames: ${[...certificate.dnsNames, ...certificate.ipAddresses].join(", ")}\n\n1. sudo ./install.sh ${cluster.dataDirectory}\n2. Add postgresql.conf.snippet to postgresql.conf and pg_hba.conf.snippet to the top of pg_hba.conf.\n3. Reload PostgreSQL. Clients connect with sslmode=verify-full and root.crt.\n\nroot.crl expires ${crl.nextUpdate.toISOString()}: cluster-tls re-signs it; install fresh copies before then.\n`,
    },
  ]);
  await recordAuditEvent(db, actor, {
    action: "server_bundle.download",
    objectType: "node",
    objectId: node.id,
    clusterId: cluster.id,
    details: { name: node.hostname, serial: certificate.serialHex },
  });
  return { zip, filename: `${node.hostname}.zip` };
}
