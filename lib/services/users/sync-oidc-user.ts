import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { schema, type Database, type Executor } from "@/lib/db";
import type { UserRole } from "@/lib/db/schema/enums";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import type { TOidcGroupMap } from "@/lib/validations/oidc";

export const OIDC_PROVIDER_ID = "oidc";

export type OidcSignInIdentity = { subject: string; email: string; name: string; groups: string[] };

type Entitlement = { role: UserRole; clusters: Map<string, string[]>; groups: string[] };

const ROLE_RANK: Record<UserRole, number> = { developer: 0, auditor: 1, admin: 2 };

/** The strongest role of the mapped groups, and the union of their cluster grants; null when no group is mapped. */
export function entitlementOf(map: TOidcGroupMap, groups: string[]): Entitlement | null {
  const mapped = [...new Set(groups)].filter((group) => Object.hasOwn(map, group)).sort();
  if (mapped.length === 0) return null;
  let role: UserRole = "developer";
  const clusters = new Map<string, Set<string>>();
  for (const group of mapped) {
    const mapping = map[group]!;
    if (ROLE_RANK[mapping.role] > ROLE_RANK[role]) role = mapping.role;
    for (const [cluster, databaseUsers] of Object.entries(mapping.clusters ?? {})) {
      const users = clusters.get(cluster) ?? new Set<string>();
      databaseUsers.forEach((user) => users.add(user));
      clusters.set(cluster, users);
    }
  }
  return { role, groups: mapped, clusters: new Map([...clusters].map(([name, users]) => [name, [...users].sort()])) };
}

async function findLinkedUser(tx: Executor, identity: OidcSignInIdentity) {
  const [linked] = await tx
    .select({ user: schema.users })
    .from(schema.accounts)
    .innerJoin(schema.users, eq(schema.users.id, schema.accounts.userId))
    .where(and(eq(schema.accounts.providerId, OIDC_PROVIDER_ID), eq(schema.accounts.accountId, identity.subject)))
    .for("update");
  return linked?.user;
}

/**
 * Brings a single-sign-on user in line with the identity provider at sign-in: creates them on
 * first sign-in, sets the role of their mapped groups and makes their cluster grants exactly the
 * mapped ones, each change audited, all in one transaction. Someone in no mapped group is refused
 * (and loses any grants they held); nothing is created for them.
 */
export async function syncOidcUser(
  db: Database,
  actor: Actor,
  { identity, groupMap }: { identity: OidcSignInIdentity; groupMap: TOidcGroupMap },
) {
  const entitlement = entitlementOf(groupMap, identity.groups);
  const user = await db.transaction(async (tx) => {
    let user = await findLinkedUser(tx, identity);
    if (!entitlement) {
      if (user) await syncGrants(tx, actor, user, new Map());
      return null;
    }
    const audit = { source: "oidc", groups: entitlement.groups };
    if (!user) {
      const [byEmail] = await tx
        .select()
        .from(schema.users)
        .where(sql`lower(${schema.users.email}) = ${identity.email}`)
        .for("update");
      if (byEmail) {
        // The same person by verified email (e.g. an admin made before single sign-on): link the account.
        user = byEmail;
        await tx
          .insert(schema.accounts)
          .values({ id: randomUUID(), userId: user.id, accountId: identity.subject, providerId: OIDC_PROVIDER_ID });
        await recordAuditEvent(tx, actor, {
          action: "user.link_account",
          objectType: "user",
          objectId: user.id,
          details: { email: user.email, ...audit },
        });
      } else {
        const id = randomUUID();
        [user] = await tx
          .insert(schema.users)
          .values({ id, email: identity.email, name: identity.name, role: entitlement.role, emailVerified: true })
          .returning();
        await tx
          .insert(schema.accounts)
          .values({ id: randomUUID(), userId: id, accountId: identity.subject, providerId: OIDC_PROVIDER_ID });
        await recordAuditEvent(tx, actor, {
          action: "user.create",
          objectType: "user",
          objectId: id,
          details: { email: identity.email, role: entitlement.role, ...audit },
        });
      }
    }
    if (!user) throw new Error("user insert returned nothing");
    if (user.disabledAt) throw new AppError("FORBIDDEN", `the account ${user.email} is disabled here; an administrator must enable it`);
    if (user.role !== entitlement.role) {
      await tx.update(schema.users).set({ role: entitlement.role }).where(eq(schema.users.id, user.id));
      await recordAuditEvent(tx, actor, {
        action: "user.update_role",
        objectType: "user",
        objectId: user.id,
        details: { email: user.email, from: user.role, to: entitlement.role, ...audit },
      });
      user = { ...user, role: entitlement.role };
    }
    await syncGrants(tx, actor, user, entitlement.clusters);
    return user;
  });
  if (!user) {
    throw new AppError(
      "FORBIDDEN",
      `${identity.email} is in no group that grants access to cluster-tls (groups from the identity provider: ${identity.groups.length ? identity.groups.join(", ") : "none"}); ask an administrator to add you to a mapped group`,
    );
  }
  return user;
}

async function syncGrants(tx: Executor, actor: Actor, user: { id: string; email: string }, wanted: Map<string, string[]>) {
  const names = [...wanted.keys()];
  const clusters = names.length
    ? await tx
        .select({ id: schema.clusters.id, name: schema.clusters.name })
        .from(schema.clusters)
        .where(inArray(schema.clusters.name, names))
    : [];
  const wantedById = new Map(clusters.map((cluster) => [cluster.id, { name: cluster.name, databaseUsers: wanted.get(cluster.name)! }]));
  const held = await tx.select().from(schema.clusterAccess).where(eq(schema.clusterAccess.userId, user.id));
  for (const grant of held) {
    if (wantedById.has(grant.clusterId)) continue;
    await tx
      .delete(schema.clusterAccess)
      .where(and(eq(schema.clusterAccess.userId, user.id), eq(schema.clusterAccess.clusterId, grant.clusterId)));
    await recordAuditEvent(tx, actor, {
      action: "user.revoke_cluster_access",
      objectType: "user",
      objectId: user.id,
      clusterId: grant.clusterId,
      details: { email: user.email, source: "oidc" },
    });
  }
  for (const [clusterId, { name, databaseUsers }] of wantedById) {
    const current = held.find((grant) => grant.clusterId === clusterId);
    if (current && [...current.databaseUsers].sort().join("\n") === databaseUsers.join("\n")) continue;
    await tx
      .insert(schema.clusterAccess)
      .values({ userId: user.id, clusterId, databaseUsers })
      .onConflictDoUpdate({ target: [schema.clusterAccess.userId, schema.clusterAccess.clusterId], set: { databaseUsers } });
    await recordAuditEvent(tx, actor, {
      action: "user.grant_cluster_access",
      objectType: "user",
      objectId: user.id,
      clusterId,
      details: { email: user.email, cluster: name, databaseUsers, source: "oidc" },
    });
  }
}
