import "server-only";
import { sql } from "drizzle-orm";
import { rowsOf, type Database } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";

/**
 * How long history the product no longer needs is kept. The audit log is never pruned.
 * - Job runs: the Jobs page shows recent ones; each job's latest run and latest success are kept
 *   whatever their age (the page's "last run" and /api/metrics' last-success gauge read them).
 * - Webhook deliveries that finished (delivered or given up): longer than the 30-day expiry
 *   notice, whose dedupe key lives in its delivery row — a certificate noticed at 30 days has
 *   expired before its row goes, so the notice is never sent twice.
 * - Superseded CRLs: every revocation signs a new CRL, up to megabytes each with 100,000 entries;
 *   only each CA's latest is served. Each CA's latest is always kept.
 */
export const RETENTION_DAYS = { jobRuns: 90, webhookDeliveries: 60, supersededCrls: 30 } as const;

export type PruneSummary = { jobRuns: number; webhookDeliveries: number; supersededCrls: number };

export async function pruneHistory(db: Database, now = new Date()): Promise<PruneSummary> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const count = (result: unknown) => rowsOf(result).length;
  const jobRuns = await db.execute(sql`
    DELETE FROM job_runs
     WHERE started_at < ${before(RETENTION_DAYS.jobRuns)}::timestamptz AND outcome <> 'running'
       AND id NOT IN (SELECT DISTINCT ON (job) id FROM job_runs ORDER BY job, started_at DESC)
       AND id NOT IN (SELECT DISTINCT ON (job) id FROM job_runs WHERE outcome = 'succeeded' ORDER BY job, started_at DESC)
    RETURNING id`);
  const deliveries = await db.execute(sql`
    DELETE FROM webhook_deliveries
     WHERE created_at < ${before(RETENTION_DAYS.webhookDeliveries)}::timestamptz AND status <> 'pending'
    RETURNING id`);
  const crls = await db.execute(sql`
    DELETE FROM crls
     WHERE created_at < ${before(RETENTION_DAYS.supersededCrls)}::timestamptz
       AND id NOT IN (SELECT DISTINCT ON (ca_id) id FROM crls ORDER BY ca_id, crl_number DESC)
    RETURNING id`);
  return { jobRuns: count(jobRuns), webhookDeliveries: count(deliveries), supersededCrls: count(crls) };
}
