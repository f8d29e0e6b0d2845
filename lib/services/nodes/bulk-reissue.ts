import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { schema, type Database, type Transaction } from "@/lib/db";
import { refreshPlannerStatistics } from "@/lib/db/planner-statistics";
import { AppError } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import type { Actor } from "@/lib/access/actor";
import type { IssuedLeaf } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { assertScopeAllows, resolveClusterScope } from "@/lib/services/clusters/resolve-cluster-scope";
import { issueNodeClientCertificate, nodeClientLogin } from "@/lib/services/certificates/node-client-certificate";
import { loadClusterIssuer, type ClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { issueForNode } from "./issue-for-node";
import { recordReissues } from "./record-reissues";
import { activeServerCertificateOf } from "@/lib/services/queries/node-certificates";

/**
 * Nodes per transaction. Each chunk commits on its own (a crash loses at most the chunk in
 * flight, and re-running picks up the rest), and between chunks the event loop serves other
 * requests: PGlite runs its queries on this thread, so a 1,000-row transaction would stall it.
 */
const CHUNK = 25;

export type BulkReissueOptions = {
  /** Only these nodes of the cluster (default: every live node). */
  nodeIds?: string[];
  /** Jobs pass lists read a moment ago: a node removed since is skipped, not an error. */
  skipMissing?: boolean;
  revokePrevious?: boolean;
  /** renewal, ca-rotation: goes into each audit row. */
  reason?: string;
  onProgress?: (done: number, total: number) => void;
};

export type BulkReissueResult = { total: number; reissued: number; failed: { nodeId: string; hostname: string; error: string }[] };

type Target = {
  node: Pick<typeof schema.nodes.$inferSelect, "id" | "hostname" | "role" | "dnsNames" | "ipAddresses">;
  current: { id: string; fromCsr: boolean; certificatePem: string | null } | null;
};
type Issued = { target: Target; issued: IssuedLeaf; client: { databaseUser: string; leaf: IssuedLeaf } | null };

/**
 * Re-issues many nodes' server certificates with the CA loaded once: keys and signatures are
 * made concurrently per chunk (WebCrypto does them off the main thread), then the chunk is
 * recorded in one transaction — node rows locked, then recordReissues: previous certificates
 * superseded (or revoked with the CRL re-signed once), new rows and audit rows in multi-row INSERTs.
 * A node that fails is reported and skipped; the others go on.
 */
export async function bulkReissueNodes(
  db: Database,
  actor: Actor,
  keyRing: KeyRing,
  clusterRef: string,
  options: BulkReissueOptions = {},
): Promise<BulkReissueResult> {
  const scope = await resolveClusterScope(db, actor, clusterRef);
  assertScopeAllows(scope, "cluster:manage");
  const { cluster } = scope;
  await refreshPlannerStatistics(db);
  const clusterIssuer = await loadClusterIssuer(db, cluster, keyRing.all);
  const targets = await loadTargets(db, cluster.id, options.nodeIds, options.skipMissing);
  const result: BulkReissueResult = { total: targets.length, reissued: 0, failed: [] };
  const fail = (target: Target, error: unknown) =>
    result.failed.push({ nodeId: target.node.id, hostname: target.node.hostname, error: describeError(error) });

  for (let start = 0; start < targets.length; start += CHUNK) {
    const chunk = targets.slice(start, start + CHUNK);
    const settled = await Promise.allSettled(
      chunk.map(async (target) => {
        const issued = await issueForNode(
          { node: target.node, cluster },
          clusterIssuer.issuer,
          {},
          target.current?.certificatePem ?? undefined,
        );
        // A CA rotation re-issues through here: the node's own client certificate moves to the new CA too.
        const login = nodeClientLogin(target.node.role, cluster.replicationUser);
        const client = login
          ? { databaseUser: login.databaseUser, leaf: await issueNodeClientCertificate(cluster, clusterIssuer, login.databaseUser) }
          : null;
        return { target, issued, client };
      }),
    );
    const issued: Issued[] = [];
    settled.forEach((outcome, i) => (outcome.status === "fulfilled" ? issued.push(outcome.value) : fail(chunk[i]!, outcome.reason)));
    const recorded = await db.transaction((tx) =>
      recordChunk(tx, actor, keyRing, { clusterId: cluster.id, clusterIssuer, issued, options }),
    );
    result.reissued += recorded.count;
    for (const [target, error] of recorded.skipped) fail(target, error);
    options.onProgress?.(Math.min(start + CHUNK, targets.length), targets.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The next bulk run (and the pages) plan with the new row counts.
  await refreshPlannerStatistics(db);
  return result;
}

/**
 * Live nodes of the cluster and their active certificate, in two indexed queries rather than a
 * join: PGlite has no autovacuum, so after a bulk insert its statistics are stale and the join
 * plan degrades to a nested loop over every certificate (300 ms for 1,000 nodes, measured).
 */
async function loadTargets(db: Database, clusterId: string, nodeIds?: string[], skipMissing = false): Promise<Target[]> {
  const { nodes, certificates } = schema;
  if (nodeIds?.length === 0) return [];
  const found = await db
    .select({ id: nodes.id, hostname: nodes.hostname, role: nodes.role, dnsNames: nodes.dnsNames, ipAddresses: nodes.ipAddresses })
    .from(nodes)
    .where(and(eq(nodes.clusterId, clusterId), isNull(nodes.removedAt), nodeIds ? inArray(nodes.id, nodeIds) : undefined))
    .orderBy(asc(nodes.hostname));
  if (nodeIds && !skipMissing && found.length !== new Set(nodeIds).size) {
    const ids = new Set(found.map((n) => n.id));
    throw new AppError("NOT_FOUND", `node ${nodeIds.find((id) => !ids.has(id))} not found in this cluster`);
  }
  const current = new Map<string, NonNullable<Target["current"]>>();
  for (let start = 0; start < found.length; start += 1_000) {
    const rows = await db
      .select({
        nodeId: certificates.nodeId,
        id: certificates.id,
        fromCsr: certificates.fromCsr,
        // Only a CSR-keyed node needs its certificate (for the public key it keeps).
        certificatePem: sql<string | null>`CASE WHEN ${certificates.fromCsr} THEN ${certificates.certificatePem} END`,
      })
      .from(certificates)
      .where(activeServerCertificateOf(found.slice(start, start + 1_000).map((n) => n.id)));
    for (const { nodeId, ...row } of rows) current.set(nodeId!, row);
  }
  return found.map((node) => ({ node, current: current.get(node.id) ?? null }));
}

type ChunkParams = { clusterId: string; clusterIssuer: ClusterIssuer; issued: Issued[]; options: BulkReissueOptions };

async function recordChunk(tx: Transaction, actor: Actor, keyRing: KeyRing, { clusterId, clusterIssuer, issued, options }: ChunkParams) {
  const { nodes, certificates } = schema;
  const skipped: [Target, unknown][] = [];
  if (issued.length === 0) return { count: 0, skipped };
  // The same lock a single re-issue takes, in id order so two bulk runs cannot deadlock.
  const ids = issued.map((i) => i.target.node.id).sort();
  const live = new Set(
    (
      await tx
        .select({ id: nodes.id, removedAt: nodes.removedAt })
        .from(nodes)
        .where(inArray(nodes.id, ids))
        .orderBy(asc(nodes.id))
        .for("update")
    )
      .filter((n) => !n.removedAt)
      .map((n) => n.id),
  );
  const previous = new Map(
    (
      await tx
        .select({
          id: certificates.id,
          nodeId: certificates.nodeId,
          serialHex: certificates.serialHex,
          issuerCaId: certificates.issuerCaId,
        })
        .from(certificates)
        .where(activeServerCertificateOf(ids))
    ).map((c) => [c.nodeId!, c]),
  );
  const kept = issued.filter(({ target }) => {
    if (!live.has(target.node.id)) skipped.push([target, new AppError("NOT_FOUND", `node ${target.node.hostname} was removed`)]);
    // A node's own key was read before the lock: another re-issue in between may have changed it.
    else if (target.current?.fromCsr && previous.get(target.node.id)?.id !== target.current.id)
      skipped.push([target, new AppError("CONFLICT", `${target.node.hostname}'s certificate changed meanwhile; run again`)]);
    else return true;
    return false;
  });
  if (kept.length === 0) return { count: 0, skipped };

  const recorded = await recordReissues(tx, actor, keyRing, {
    clusterId,
    clusterIssuer,
    revokePrevious: options.revokePrevious,
    reason: options.reason,
    reissues: kept.map(({ target, issued: leaf, client }) => ({
      node: target.node,
      leaf,
      client,
      previous: previous.get(target.node.id) ?? null,
      details: { bulk: true },
    })),
  });
  return { count: recorded.length, skipped };
}
