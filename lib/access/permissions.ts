import { AppError } from "@/lib/errors/app-error";
import { actorRole, type Actor } from "./actor";
import { AccessRefused } from "./access-refused";

/**
 * The permission model in one table. Services call `assertAllowed` before touching data, so the UI,
 * the REST API, the CLI and jobs all get the same answer.
 *
 * - admin: everything
 * - auditor: read-only everywhere, including the audit log
 * - developer: reads the clusters granted to them; client bundles only for allowed database users
 * - a token scoped to clusters acts only inside them, whatever its role: a check that names no
 *   cluster is instance-wide (creating clusters, users, tokens; jobs, backups, the master key)
 *   and needs a token for all clusters
 */
export type Permission =
  | "cluster:read"
  | "cluster:manage" // create/archive clusters, nodes, re-issue, revoke, rotate
  | "client-bundle:issue"
  | "node:probe" // dial a node from this server and record what it serves
  | "audit:read"
  | "users:manage"
  | "tokens:manage";

/** What a developer was granted on one cluster (from cluster_access). */
export type ClusterGrant = { clusterId: string; databaseUsers: string[] };

export type PermissionContext = {
  clusterId?: string;
  databaseUser?: string;
  /** The developer's grants; required for developer checks that name a cluster. */
  grants?: ClusterGrant[];
};

/** What a device credential may do at all: see its clusters and get login certificates for them. */
const DEVICE_PERMISSIONS: readonly Permission[] = ["cluster:read", "client-bundle:issue"];

export function isAllowed(actor: Actor, permission: Permission, context: PermissionContext = {}): boolean {
  if (actor.type === "device" && !DEVICE_PERMISSIONS.includes(permission)) return false;
  if (isScopedToken(actor) && (context.clusterId === undefined || !actor.clusterIds.includes(context.clusterId))) {
    return false; // outside its clusters, or instance-wide
  }
  const role = actorRole(actor);
  if (role === null) return false;
  if (role === "admin") return true;
  if (role === "auditor") return permission === "cluster:read" || permission === "audit:read";

  // developer
  const grant = context.clusterId ? context.grants?.find((g) => g.clusterId === context.clusterId) : undefined;
  if (permission === "cluster:read") return context.clusterId === undefined || grant !== undefined;
  if (permission === "client-bundle:issue") {
    return grant !== undefined && context.databaseUser !== undefined && grant.databaseUsers.includes(context.databaseUser);
  }
  return false;
}

export function assertAllowed(actor: Actor, permission: Permission, context: PermissionContext = {}): void {
  if (isAllowed(actor, permission, context)) return;
  const what = context.databaseUser ? ` for database user "${context.databaseUser}"` : "";
  if (actor.type === "node") throw new AppError("FORBIDDEN", `${actor.label} may only read its own node's files and report its status`);
  if (actorRole(actor) === null) throw new AppError("UNAUTHENTICATED", "sign in first");
  if (actor.type === "device" && !DEVICE_PERMISSIONS.includes(permission))
    throw new AppError("FORBIDDEN", `${actor.label} may only read what it may reach and get login certificates`);
  const refusal = { permission, clusterId: context.clusterId, databaseUser: context.databaseUser };
  if (isScopedToken(actor) && context.clusterId === undefined) {
    throw new AccessRefused(
      "FORBIDDEN",
      `${actor.label} is scoped to clusters and acts only inside them: creating clusters, users or tokens and other instance-wide actions need a token for all clusters`,
      refusal,
    );
  }
  throw new AccessRefused("FORBIDDEN", `${actor.label} (${actorRole(actor)}) may not ${describe(permission)}${what}`, refusal);
}

function isScopedToken(actor: Actor): actor is Extract<Actor, { type: "token" | "device" }> {
  return (actor.type === "token" || actor.type === "device") && actor.clusterIds.length > 0;
}

function describe(permission: Permission): string {
  switch (permission) {
    case "cluster:read":
      return "see this cluster";
    case "cluster:manage":
      return "change clusters, nodes or certificates";
    case "client-bundle:issue":
      return "download a client bundle";
    case "node:probe":
      return "probe nodes over the network";
    case "audit:read":
      return "read the audit log";
    case "users:manage":
      return "manage users";
    case "tokens:manage":
      return "manage API tokens";
  }
}
