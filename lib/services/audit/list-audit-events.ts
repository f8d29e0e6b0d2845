import "server-only";
import { and, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import type { TAuditFilters } from "@/lib/validations/audit";
import { DAY_MS } from "@/lib/format/days";

export type AuditEventView = typeof schema.auditEvents.$inferSelect & { clusterName: string | null };

/** The audit log, newest first, filtered by actor (label contains), cluster (name), action (prefix) and UTC day range. */
export async function listAuditEvents(db: Executor, actor: Actor, filters: TAuditFilters, limit = 200): Promise<AuditEventView[]> {
  assertAllowed(actor, "audit:read");
  const { auditEvents: a, clusters } = schema;
  const conditions: (SQL | undefined)[] = [
    filters.actor ? ilike(a.actorLabel, `%${escapeLike(filters.actor)}%`) : undefined,
    filters.action ? ilike(a.action, `${escapeLike(filters.action)}%`) : undefined,
    filters.cluster ? or(eq(clusters.name, filters.cluster), eq(a.clusterId, filters.cluster)) : undefined,
    filters.from ? gte(a.occurredAt, new Date(`${filters.from}T00:00:00Z`)) : undefined,
    filters.to ? lt(a.occurredAt, new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + DAY_MS)) : undefined,
  ];
  const rows = await db
    .select({ event: a, clusterName: clusters.name })
    .from(a)
    // audit_events.cluster_id is text (no FK, so history outlives clusters): compare as text.
    .leftJoin(clusters, sql`${a.clusterId} = ${clusters.id}::text`)
    .where(and(...conditions))
    .orderBy(desc(a.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.event, clusterName: r.clusterName }));
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
