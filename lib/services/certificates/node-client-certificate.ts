import "server-only";
import { and, eq, or } from "drizzle-orm";
import { schema, type Executor, type Transaction } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { PGBOUNCER_CLIENT_CN } from "@/lib/bundles/server-snippets";
import type { NodeRole } from "@/lib/db/schema/enums";
import { issuancePolicyFor, issueClientCertificate, type IssuedLeaf, type KeyAlgorithm } from "@/lib/pki";
import type { SubjectTemplate } from "@/lib/db/schema/clusters";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { assertIssuancePolicy } from "@/lib/services/pki/apply-issuance-policy";
import type { ClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { issuedCertificateValues } from "./issued-certificate-values";

/** The client certificate a node uses itself, and the bundle file it goes into. */
export type NodeClientLogin = { file: "replication" | "pgbouncer-client"; databaseUser: string };

/** A replica logs in to the primary as the replication user; PgBouncer to PostgreSQL as CN=pgbouncer. */
export function nodeClientLogin(role: NodeRole, replicationUser: string): NodeClientLogin | null {
  if (role === "replica") return { file: "replication", databaseUser: replicationUser };
  if (role === "pgbouncer") return { file: "pgbouncer-client", databaseUser: PGBOUNCER_CLIENT_CN };
  return null;
}

type Cluster = Parameters<typeof issuancePolicyFor>[0] & { keyAlgorithm: KeyAlgorithm; subjectTemplate: SubjectTemplate };

/** Signs a node's client certificate (not recorded: see recordNodeClientCertificates). */
export async function issueNodeClientCertificate(cluster: Cluster, issuer: ClusterIssuer, databaseUser: string): Promise<IssuedLeaf> {
  assertIssuancePolicy(issuancePolicyFor(cluster), {
    kind: "client",
    days: cluster.clientCertDays,
    key: { generate: cluster.keyAlgorithm },
  });
  return issueClientCertificate({
    issuer: issuer.issuer,
    days: cluster.clientCertDays,
    databaseUser,
    subjectTemplate: cluster.subjectTemplate,
    key: { generate: cluster.keyAlgorithm },
  });
}

export type NodeClientIssue = { nodeId: string; databaseUser: string; leaf: IssuedLeaf };

/**
 * Records node client certificates in the caller's transaction (the node rows locked by it): each
 * node's active one for the same user is superseded — it keeps working until the new bundle is
 * installed — and the new one stored with its key encrypted, since every later download hands out
 * that same key. Returns the new rows' serials by node id.
 */
export async function recordNodeClientCertificates(
  tx: Transaction,
  actor: Actor,
  keyRing: KeyRing,
  p: { clusterId: string; caId: string; issues: NodeClientIssue[] },
) {
  const { certificates } = schema;
  if (p.issues.length === 0) return new Map<string, string>();
  const replaced = await tx
    .update(certificates)
    .set({ status: "superseded" })
    .where(
      and(
        eq(certificates.kind, "client"),
        eq(certificates.status, "active"),
        or(...p.issues.map((i) => and(eq(certificates.nodeId, i.nodeId), eq(certificates.databaseUser, i.databaseUser)))),
      ),
    )
    .returning({ id: certificates.id, nodeId: certificates.nodeId });
  const previous = new Map(replaced.map((r) => [r.nodeId!, r.id]));
  await tx.insert(certificates).values(
    p.issues.map(({ nodeId, databaseUser, leaf }) =>
      issuedCertificateValues({
        clusterId: p.clusterId,
        caId: p.caId,
        kind: "client",
        commonName: databaseUser,
        issued: leaf,
        actor,
        databaseUser,
        nodeId,
        encryptedPrivateKey: encryptSecret(leaf.privateKeyPem!, keyRing.current),
        replacesCertificateId: previous.get(nodeId) ?? null,
      }),
    ),
  );
  return new Map(p.issues.map((i) => [i.nodeId, i.leaf.serialHex]));
}

/**
 * The node's active client certificate and its key, for a bundle download (which only reads).
 * Null when there is none with a stored key: nodes added before these were issued with the node
 * get theirs at the next re-issue.
 */
export async function readNodeClientCertificate(db: Executor, keyRing: KeyRing, nodeId: string, databaseUser: string) {
  const { certificates } = schema;
  const [row] = await db
    .select({ serialHex: certificates.serialHex, certificatePem: certificates.certificatePem, envelope: certificates.encryptedPrivateKey })
    .from(certificates)
    .where(
      and(
        eq(certificates.nodeId, nodeId),
        eq(certificates.kind, "client"),
        eq(certificates.databaseUser, databaseUser),
        eq(certificates.status, "active"),
      ),
    );
  if (!row?.envelope) return null;
  return {
    serialHex: row.serialHex,
    certificatePem: row.certificatePem,
    privateKeyPem: decryptSecret(row.envelope, keyRing.all).toString("utf8"),
  };
}
