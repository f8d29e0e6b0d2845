import "server-only";
import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { schema, type Database, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { findJob, JOBS } from "./registry";
import { runJob } from "./run-job";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";

/**
 * The Jobs page: each job with its last run, last failure and when it is next due, plus the
 * recent runs. Each job's last run is looked up on its own: a daily job's would fall out of a
 * "most recent runs" window behind a minute job's (webhook deliveries run after every change).
 */
export async function listJobStatus(db: Executor) {
  const { jobRuns } = schema;
  const names = JOBS.map((j) => j.name);
  const latestOf = (outcome?: "failed") =>
    db
      .selectDistinctOn([jobRuns.job])
      .from(jobRuns)
      .where(and(inArray(jobRuns.job, names), outcome ? eq(jobRuns.outcome, outcome) : ne(jobRuns.outcome, "skipped")))
      .orderBy(jobRuns.job, desc(jobRuns.startedAt));
  const [latest, failures, recent] = await Promise.all([
    latestOf(),
    latestOf("failed"),
    db
      .select()
      .from(jobRuns)
      .where(and(inArray(jobRuns.job, names), ne(jobRuns.outcome, "skipped")))
      .orderBy(desc(jobRuns.startedAt))
      .limit(20),
  ]);
  const jobs = JOBS.map((job) => {
    const last = latest.find((run) => run.job === job.name) ?? null;
    const lastFailure = failures.find((run) => run.job === job.name) ?? null;
    return {
      name: job.name,
      title: job.title,
      description: job.description,
      intervalMs: job.intervalMs,
      /** Runs only when it has work (the scheduler asks every minute; a change may nudge it). */
      onDemand: job.hasWork !== undefined,
      last,
      lastFailure,
      nextDue: last ? new Date(last.startedAt.getTime() + job.intervalMs) : null,
    };
  });
  return { jobs, recent };
}

/** "Run now" for admins: the job runs at once (still only one instance at a time) and is audited. */
export async function runJobNow(db: Database, actor: Actor, keyRing: KeyRing, name: string) {
  assertAllowed(actor, "cluster:manage");
  const job = findJob(name);
  if (!job) throw new AppError("NOT_FOUND", `no job named ${JSON.stringify(name)}`);
  const result = await runJob(db, keyRing, job, { force: true, trigger: actor.label });
  await recordAuditEvent(db, actor, {
    action: "job.run",
    objectType: "job",
    objectId: job.name,
    details: { outcome: result.outcome, reason: result.reason ?? null, error: result.error ?? null },
  });
  if (result.outcome === "skipped") throw new AppError("CONFLICT", `${job.title} did not run: ${result.reason}`);
  return { title: job.title, ...result };
}
