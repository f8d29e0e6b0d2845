import "server-only";
import { desc } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

export type AuditEventRow = typeof schema.auditEvents.$inferSelect;

export async function listRecentAuditEvents(db: Executor, limit = 50): Promise<AuditEventRow[]> {
  return db.select().from(schema.auditEvents).orderBy(desc(schema.auditEvents.id)).limit(limit);
}
