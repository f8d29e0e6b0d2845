import "server-only";
import { asc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";

export type UserSummary = {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
  createdAt: Date;
  access: { clusterId: string; clusterName: string; databaseUsers: string[] }[];
};

export async function listUsers(db: Executor, actor: Actor): Promise<UserSummary[]> {
  assertAllowed(actor, "users:manage");
  const { users, clusterAccess, clusters } = schema;
  const [rows, grants] = await Promise.all([
    db.select().from(users).orderBy(asc(users.email)),
    db
      .select({
        userId: clusterAccess.userId,
        clusterId: clusterAccess.clusterId,
        clusterName: clusters.name,
        databaseUsers: clusterAccess.databaseUsers,
      })
      .from(clusterAccess)
      .innerJoin(clusters, eq(clusters.id, clusterAccess.clusterId))
      .orderBy(asc(clusters.name)),
  ]);
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt,
    access: grants
      .filter((g) => g.userId === u.id)
      .map(({ clusterId, clusterName, databaseUsers }) => ({ clusterId, clusterName, databaseUsers })),
  }));
}
