import { NODE_ROLES, type NodeRole } from "@/lib/db/schema/enums";

/** How the products call themselves, for tables and selects. */
export const NODE_ROLE_LABELS: Record<NodeRole, string> = {
  primary: "Primary",
  replica: "Replica",
  pgbouncer: "PgBouncer",
  pgpool: "pgpool-II",
  other: "Other",
};

export const NODE_ROLE_OPTIONS = NODE_ROLES.map((role) => ({ value: role, label: NODE_ROLE_LABELS[role] }));
