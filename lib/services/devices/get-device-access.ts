import "server-only";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { isAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { loadGrants } from "@/lib/services/access/load-grants";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";
import { assertDeviceActor } from "./authenticate-device-credential";
import { connectTarget } from "./connect-target";

/**
 * What a developer login may reach (`cluster-tls connect`'s pick list): its user, the device, and
 * per cluster the database users it may get login certificates for, where to connect and for how
 * long a certificate lives. A developer's database users are their grants; an admin may ask for
 * any database user (`anyDatabaseUser`), and is shown those granted to anyone; an auditor none.
 */
export async function getDeviceAccess(db: Database, actor: Actor) {
  assertDeviceActor(actor);
  const { users, devices, clusters, clusterAccess } = schema;
  const [row] = await db
    .select({ email: users.email, name: users.name, role: users.role, device: devices })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId))
    .where(eq(devices.id, actor.id));
  const visible = await visibleClusterIds(db, actor);
  const rows =
    visible !== "all" && visible.length === 0
      ? []
      : await db
          .select()
          .from(clusters)
          .where(and(isNull(clusters.archivedAt), visible === "all" ? undefined : inArray(clusters.id, visible)))
          .orderBy(asc(clusters.name));
  const grants = await loadGrants(db, actor);
  const anyDatabaseUser = actor.role === "admin";
  const grantedToAnyone = anyDatabaseUser
    ? await db.select({ clusterId: clusterAccess.clusterId, databaseUsers: clusterAccess.databaseUsers }).from(clusterAccess)
    : [];
  const result = [];
  for (const cluster of rows) {
    if (!isAllowed(actor, "cluster:read", { clusterId: cluster.id, grants })) continue;
    const listed = anyDatabaseUser
      ? grantedToAnyone.filter((g) => g.clusterId === cluster.id).flatMap((g) => g.databaseUsers)
      : (grants.find((g) => g.clusterId === cluster.id)?.databaseUsers ?? []);
    const databaseUsers = [...new Set(listed)]
      .filter((databaseUser) => isAllowed(actor, "client-bundle:issue", { clusterId: cluster.id, databaseUser, grants }))
      .sort();
    result.push({
      id: cluster.id,
      name: cluster.name,
      databaseUsers,
      anyDatabaseUser,
      connect: await connectTarget(db, cluster),
      loginCertificateHours: cluster.loginCertHours,
    });
  }
  return {
    user: { email: row!.email, name: row!.name, role: row!.role },
    device: { id: row!.device.id, name: row!.device.name, expiresAt: row!.device.expiresAt.toISOString() },
    clusters: result,
  };
}
