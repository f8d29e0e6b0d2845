import type { UserRole } from "@/lib/db/schema/enums";

/** Who is acting: every service takes one, checks it, and writes it into the audit row. */
export type Actor =
  | { type: "user"; id: string; label: string; role: UserRole; ipAddress?: string | null; userAgent?: string | null }
  | {
      type: "token";
      id: string;
      label: string;
      role: UserRole;
      /** Empty = every cluster the role may see. */
      clusterIds: string[];
      /** A developer token's developer: the token carries their cluster grants (narrowed by clusterIds). */
      userId?: string | null;
      ipAddress?: string | null;
      userAgent?: string | null;
    }
  /**
   * A node's agent (node credential): it may read its own node's certificate, chain, root.crt and
   * CRL, submit CSRs for its own names and post status — nothing else, so no Permission grants it.
   */
  | { type: "node"; id: string; nodeId: string; clusterId: string; label: string; ipAddress?: string | null; userAgent?: string | null }
  /**
   * A developer's laptop after `cluster-tls login` (device credential `ctlsd_…`): it acts with its
   * user's role and grants, narrowed to the clusters the login asked for (empty = all), and only on
   * the device endpoints (what it may reach, and login certificates).
   */
  | {
      type: "device";
      id: string;
      userId: string;
      label: string;
      role: UserRole;
      clusterIds: string[];
      ipAddress?: string | null;
      userAgent?: string | null;
    }
  | { type: "system"; label: "system" }
  | { type: "cli"; label: string }
  /** Someone not signed in (a failed sign-in attempt); label is what they claimed to be. */
  | { type: "anonymous"; label: string; ipAddress?: string | null; userAgent?: string | null };

export const SYSTEM_ACTOR: Actor = { type: "system", label: "system" };

/** System jobs and the local CLI (which holds the data dir) act with admin rights. */
export function actorRole(actor: Actor): UserRole | null {
  if (actor.type === "anonymous" || actor.type === "node") return null;
  return actor.type === "user" || actor.type === "token" || actor.type === "device" ? actor.role : "admin";
}
