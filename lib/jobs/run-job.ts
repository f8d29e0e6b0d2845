import "server-only";
import fs from "node:fs";
import os from "node:os";
import { desc, eq, sql } from "drizzle-orm";
import { rowsOf, schema, type Database } from "@/lib/db";
import { describeError } from "@/lib/errors/describe-error";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { INSTANCE } from "@/lib/runtime/instance-name";
import type { JobDefinition } from "./types";

/** A run left "running" this long ago died with its process; the job may run again. */
const STALE_RUN_MS = 30 * 60_000;

type RunOptions = {
  now?: Date;
  instance?: string;
  trigger?: string;
  /** Run now: skip the interval and the has-work check (an admin's Run now, the rotation wizard). */
  force?: boolean;
  /** Run now if it has work, even within its interval (an event just queued work for it). */
  skipInterval?: boolean;
};
export type JobRunResult = {
  outcome: "succeeded" | "failed" | "skipped";
  reason?: string;
  summary?: Record<string, unknown>;
  error?: string;
};

/**
 * Runs `job` if it is due, on exactly one app instance: the claim (advisory lock, then "is the
 * last run older than the interval?", then a "running" row) is one transaction, so instances
 * sharing a database never both run it for the same interval. The work runs after the claim
 * commits and the row records the outcome.
 */
export async function runJob(
  db: Database,
  keyRing: KeyRing,
  job: JobDefinition,
  { now = new Date(), instance = INSTANCE, trigger = "schedule", force = false, skipInterval = false }: RunOptions = {},
): Promise<JobRunResult> {
  const { jobRuns } = schema;
  if (!force && job.hasWork && !(await job.hasWork({ db }))) return { outcome: "skipped", reason: "nothing to do" };
  const claim = await db.transaction(async (tx) => {
    const locked = await tx.execute(sql`SELECT pg_try_advisory_xact_lock(hashtext(${`cluster-tls job ${job.name}`})) AS locked`);
    if (!rowsOf<{ locked: boolean }>(locked)[0]?.locked) return { skipped: "another instance is claiming it" } as const;
    const [last] = await tx.select().from(jobRuns).where(eq(jobRuns.job, job.name)).orderBy(desc(jobRuns.startedAt)).limit(1);
    let abandoned = false;
    if (last?.outcome === "running") {
      if (now.getTime() - last.startedAt.getTime() < STALE_RUN_MS && !diedOnThisHost(last.instance))
        return { skipped: `already running on ${last.instance}` } as const;
      // Its process died (crash, kill -9, restart): record that, and run again now.
      await tx
        .update(jobRuns)
        .set({ outcome: "failed", error: `the run on ${last.instance} stopped before finishing`, finishedAt: now })
        .where(eq(jobRuns.id, last.id));
      abandoned = true;
    }
    if (
      !force &&
      !skipInterval &&
      !abandoned &&
      last &&
      last.outcome !== "skipped" &&
      now.getTime() - last.startedAt.getTime() < job.intervalMs
    )
      return { skipped: "not due yet" } as const;
    const [run] = await tx.insert(jobRuns).values({ job: job.name, startedAt: now, instance, trigger }).returning({ id: jobRuns.id });
    return { runId: run!.id } as const;
  });
  if ("skipped" in claim) return { outcome: "skipped", reason: claim.skipped };

  const started = performance.now();
  try {
    const summary = await job.run({ db, keyRing, now });
    await db
      .update(jobRuns)
      .set({ outcome: "succeeded", summary, finishedAt: new Date(), durationMs: Math.round(performance.now() - started) })
      .where(eq(jobRuns.id, claim.runId));
    return { outcome: "succeeded", summary };
  } catch (error) {
    const message = describeError(error);
    await db
      .update(jobRuns)
      .set({ outcome: "failed", error: message, finishedAt: new Date(), durationMs: Math.round(performance.now() - started) })
      .where(eq(jobRuns.id, claim.runId));
    return { outcome: "failed", error: message };
  }
}

/**
 * A "running" row left by a process of this machine that no longer exists (killed, crashed,
 * restarted): its run is over, so the job need not wait STALE_RUN_MS to resume.
 */
function diedOnThisHost(instance: string): boolean {
  const [host, pidText] = instance.split(":");
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  // Killed but not yet reaped by its parent: a zombie still answers signal 0.
  try {
    return fs
      .readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /s, "")
      .startsWith("Z");
  } catch {
    return false;
  }
}
