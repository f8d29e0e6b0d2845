import "server-only";
import { and, eq } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";

type GrantParams = { userId: string; clusterId: string; databaseUsers: string[] };

/** Lets a developer see a cluster and request client bundles for the listed database users. */
export async function grantClusterAccess(db: Database, actor: Actor, { userId, clusterId, databaseUsers }: GrantParams) {
  assertAllowed(actor, "users:manage");
  await db.transaction(async (tx) => {
    const [user] = await tx.select({ email: schema.users.email }).from(schema.users).where(eq(schema.users.id, userId));
    if (!user) throw new AppError("NOT_FOUND", `user ${userId} not found`);
    const [cluster] = await tx.select({ name: schema.clusters.name }).from(schema.clusters).where(eq(schema.clusters.id, clusterId));
    if (!cluster) throw new AppError("NOT_FOUND", `cluster ${clusterId} not found`, { clusterId: ["Unknown cluster"] });
    await tx
      .insert(schema.clusterAccess)
      .values({ userId, clusterId, databaseUsers })
      .onConflictDoUpdate({ target: [schema.clusterAccess.userId, schema.clusterAccess.clusterId], set: { databaseUsers } });
    await recordAuditEvent(tx, actor, {
      action: "user.grant_cluster_access",
      objectType: "user",
      objectId: userId,
      clusterId,
      details: { email: user.email, cluster: cluster.name, databaseUsers },
    });
  });
}

export async function revokeClusterAccess(db: Database, actor: Actor, { userId, clusterId }: { userId: string; clusterId: string }) {
  assertAllowed(actor, "users:manage");
  await db.transaction(async (tx) => {
    const removed = await tx
      .delete(schema.clusterAccess)
      .where(and(eq(schema.clusterAccess.userId, userId), eq(schema.clusterAccess.clusterId, clusterId)))
      .returning();
    if (removed.length === 0) throw new AppError("NOT_FOUND", "that user has no access to that cluster");
    await recordAuditEvent(tx, actor, { action: "user.revoke_cluster_access", objectType: "user", objectId: userId, clusterId });
  });
}
