import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { validationError } from "@/lib/validations/field-errors";
import { ZClusterSettingsInput, type TClusterSettingsInput } from "@/lib/validations/clusters";
import { assertNodesWithinPolicy } from "./assert-nodes-within-policy";
import { getClusterOrThrow } from "./get-cluster";

/** "Connect through" a PgBouncer node: one of this cluster's, still there, and a PgBouncer. */
async function assertPgBouncerNode(db: Database, clusterId: string, nodeId: string) {
  const { nodes } = schema;
  const [node] = await db
    .select({ role: nodes.role, hostname: nodes.hostname })
    .from(nodes)
    .where(and(eq(nodes.id, nodeId), eq(nodes.clusterId, clusterId), isNull(nodes.removedAt)));
  const message = !node
    ? "not a node of this cluster"
    : node.role !== "pgbouncer"
      ? `${node.hostname} is a ${node.role} node, not a PgBouncer`
      : null;
  if (message) throw new AppError("VALIDATION_FAILED", `connectNodeId: ${message}`, { connectNodeId: [message] });
}

/**
 * Changes a cluster's settings. They apply to what is issued next (lifetimes, names, subject,
 * wildcards and permitted names) and to bundles downloaded from now on (data directory, owner,
 * pg_hba mode); certificates already issued are not touched, nor is the CA: permitted names reach
 * a CA's nameConstraints only when a new one is made (rotation). The audit row lists what changed.
 */
export async function updateClusterSettings(db: Database, actor: Actor, clusterRef: string, input: TClusterSettingsInput) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const parsed = ZClusterSettingsInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid settings");
  const { organization, ...settings } = parsed.data;
  const subjectTemplate = { ...cluster.subjectTemplate, O: organization || undefined };
  const next = { ...settings, subjectTemplate };

  const changes = Object.fromEntries(
    Object.entries(next)
      .filter(([key, value]) => JSON.stringify(cluster[key as keyof typeof cluster]) !== JSON.stringify(value))
      .map(([key, value]) => [key, { from: cluster[key as keyof typeof cluster], to: value }]),
  );
  if (Object.keys(changes).length === 0) return cluster;
  if (changes.allowWildcardNames || changes.permittedNames) await assertNodesWithinPolicy(db, cluster.id, next);
  if (next.connectThrough === "pgbouncer" && next.connectNodeId) await assertPgBouncerNode(db, cluster.id, next.connectNodeId);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(schema.clusters)
      .set({ ...next, updatedAt: new Date() })
      .where(eq(schema.clusters.id, cluster.id))
      .returning();
    await recordAuditEvent(tx, actor, {
      action: "cluster.update",
      objectType: "cluster",
      objectId: cluster.id,
      clusterId: cluster.id,
      details: { name: cluster.name, changes },
    });
    return updated!;
  });
}

/**
 * Archives a cluster: it leaves the lists and issues nothing more, while its CA, certificates,
 * CRLs and audit trail stay (the name must be typed to confirm, as for any irreversible step).
 */
export async function archiveCluster(db: Database, actor: Actor, clusterRef: string, confirmName: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  if (cluster.archivedAt) throw new AppError("CONFLICT", `${cluster.name} is already archived`);
  if (confirmName.trim() !== cluster.name)
    throw new AppError("VALIDATION_FAILED", `type ${cluster.name} to confirm`, { confirmName: [`Does not match ${cluster.name}`] });
  return db.transaction(async (tx) => {
    const [archived] = await tx
      .update(schema.clusters)
      .set({ archivedAt: new Date() })
      .where(eq(schema.clusters.id, cluster.id))
      .returning();
    await recordAuditEvent(tx, actor, {
      action: "cluster.archive",
      objectType: "cluster",
      objectId: cluster.id,
      clusterId: cluster.id,
      details: { name: cluster.name },
    });
    return archived!;
  });
}
