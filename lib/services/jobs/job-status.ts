import "server-only";
import { desc, inArray, ne, and } from "drizzle-orm";
import { schema, type Database, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { findJob, JOBS } from "@/lib/jobs/registry";
import { runJob } from "@/lib/jobs/run-job";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";

/** The Jobs page: each job with its last run and when it is next due, plus the recent runs. */
export async function listJobStatus(db: Executor) {
  const { jobRuns } = schema;
  const recent = await db
    .select()
    .from(jobRuns)
    .where(and(inArray(jobRuns.job, JOBS.map((j) => j.name)), ne(jobRuns.outcome, "skipped")))
    .orderBy(desc(jobRuns.startedAt))
    .limit(50);
  const jobs = JOBS.map((job) => {
    const last = recent.find((run) => run.job === job.name) ?? null;
    const lastFailure = recent.find((run) => run.job === job.name && run.outcome === "failed") ?? null;
    return { name: job.name, title: job.title, description: job.description, intervalMs: job.intervalMs, last, lastFailure, nextDue: last ? new Date(last.startedAt.getTime() + job.intervalMs) : null };
  });
  return { jobs, recent: recent.slice(0, 20) };
}

/** "Run now" for admins: the job runs at once (still only one instance at a time) and is audited. */
export async function runJobNow(db: Database, actor: Actor, keyRing: KeyRing, name: string) {
  assertAllowed(actor, "cluster:manage");
  const job = findJob(name);
  if (!job) throw new AppError("NOT_FOUND", `no job named ${JSON.stringify(name)}`);
  const result = await runJob(db, keyRing, job, { force: true, trigger: actor.label });
  await recordAuditEvent(db, actor, { action: "job.run", objectType: "job", objectId: job.name, details: { outcome: result.outcome, reason: result.reason ?? null, error: result.error ?? null } });
  if (result.outcome === "skipped") throw new AppError("CONFLICT", `${job.title} did not run: ${result.reason}`);
  return { title: job.title, ...result };
}
