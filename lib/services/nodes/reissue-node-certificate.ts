import "server-only";
import { schema, type Database, type Transaction } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { issueNodeClientCertificate, nodeClientLogin } from "@/lib/services/certificates/node-client-certificate";
import { assertScopeAllows } from "@/lib/services/clusters/resolve-cluster-scope";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { getNodeOrThrow, lockLiveNode } from "./get-node";
import { issueForNode } from "./issue-for-node";
import { recordReissues } from "./record-reissues";
import { activeServerCertificateOf } from "@/lib/services/queries/node-certificates";

export type ReissueOptions = {
  revokePrevious?: boolean;
  /** renewal, ca-rotation: goes into the audit row of automatic re-issues. */
  reason?: string;
  /** Sign this CSR: the node keeps its own key and cluster-tls stores none. */
  csrPem?: string;
  /** Lifetime for a CSR; at most (and by default) the cluster's server lifetime. */
  days?: number;
};

type NodeContext = Pick<Awaited<ReturnType<typeof getNodeOrThrow>>, "node" | "cluster" | "certificate">;
type LoadedReissueOptions = ReissueOptions & {
  /** More writes that belong to this re-issue (an agent's enrollment), run first in its transaction. */
  alongside?: (tx: Transaction) => Promise<void>;
};

/**
 * Re-issues a node's server certificate. The key comes from one of three places:
 * - a CSR (`csrPem`): the node made its own key; every name it asks for must be one of the node's;
 * - the node's current certificate, when that came from a CSR: renewal and CA rotation re-sign the
 *   same public key, since cluster-tls has no private key to hand out and the node already has one;
 * - otherwise a new key, generated here and stored encrypted for the server bundle.
 * The node row is locked, so concurrent re-issues queue: each supersedes whatever is active at its
 * turn, and lineage stays a chain. With revokePrevious the old certificate is revoked (superseded)
 * and the CRL re-signed. A replica's replication certificate (PgBouncer's backend certificate) is
 * re-issued with it: this is where it is issued, never on a bundle download.
 */
export async function reissueNodeCertificate(db: Database, actor: Actor, keyRing: KeyRing, nodeId: string, options: ReissueOptions = {}) {
  const context = await getNodeOrThrow(db, actor, nodeId);
  assertScopeAllows(context.scope, "cluster:manage");
  return reissueLoadedNode(db, actor, keyRing, context, options);
}

/**
 * The re-issue itself, for a node already loaded and an actor already allowed: an administrator
 * (above), or a node's agent for its own node (lib/services/agents), which no Permission covers.
 */
export async function reissueLoadedNode(
  db: Database,
  actor: Actor,
  keyRing: KeyRing,
  context: NodeContext,
  options: LoadedReissueOptions = {},
) {
  const { node, cluster, certificate: current } = context;
  const clusterIssuer = await loadClusterIssuer(db, cluster, keyRing.all);
  const keptKeyOf = options.csrPem === undefined && current?.fromCsr ? current : null;
  const issued = await issueForNode(context, clusterIssuer.issuer, options, keptKeyOf?.certificatePem);
  const login = nodeClientLogin(node.role, cluster.replicationUser);
  const client = login
    ? { databaseUser: login.databaseUser, leaf: await issueNodeClientCertificate(cluster, clusterIssuer, login.databaseUser) }
    : null;
  const fromCsr = !issued.privateKeyPem;
  const { certificates } = schema;

  return db.transaction(async (tx) => {
    await lockLiveNode(tx, node);
    await options.alongside?.(tx);
    const [previous] = await tx
      .select({ id: certificates.id, serialHex: certificates.serialHex, issuerCaId: certificates.issuerCaId })
      .from(certificates)
      .where(activeServerCertificateOf(node.id));
    // The kept key was read before the lock: if another re-issue got in between, it may be another key now.
    if (keptKeyOf && previous?.id !== keptKeyOf.id)
      throw new AppError("CONFLICT", `${node.hostname}'s certificate changed while it was being re-issued; try again`);
    const [certificate] = await recordReissues(tx, actor, keyRing, {
      clusterId: cluster.id,
      clusterIssuer,
      revokePrevious: options.revokePrevious,
      reason: options.reason,
      reissues: [
        {
          node,
          leaf: issued,
          previous: previous ?? null,
          client,
          action: options.csrPem === undefined ? "node.reissue" : "node.sign_csr",
          details: fromCsr ? { key: options.csrPem === undefined ? "kept (node's own key)" : "from CSR" } : undefined,
        },
      ],
    });
    return { node, certificate: certificate!, previousSerial: previous?.serialHex ?? null, chainPem: clusterIssuer.chainPem };
  });
}
