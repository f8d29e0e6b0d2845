import "server-only";
import type { Database } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { setJobNudger } from "@/lib/services/jobs/job-nudge";
import { findJob, JOBS } from "./registry";
import { runJob } from "./run-job";
import type { JobDefinition } from "./types";

const TICK_MS = 60_000;
const FIRST_TICK_MS = 10_000;
/** A nudge waits this long (the change that asked has committed by then) and gathers the others meanwhile. */
const NUDGE_DELAY_MS = 1_000;

/**
 * Inside the app, no extra service: every minute each job is offered to runJob, which runs it
 * only when due and only on one instance; a nudge (lib/services/jobs/job-nudge.ts) offers one job a second
 * after a change queued work for it. CLUSTER_TLS_JOBS=off turns it off (e.g. a read-only
 * replica of the dashboard). Returns a stop function.
 */
export function startJobScheduler(db: Database, keyRing: KeyRing): () => void {
  if (process.env.CLUSTER_TLS_JOBS === "off") return () => {};
  /** Offers `job` to runJob and reports a failed run (its error is also on the Jobs page). */
  const runAndReport = async (job: JobDefinition, options?: Parameters<typeof runJob>[3]) => {
    const result = await runJob(db, keyRing, job, options);
    if (result.outcome === "failed") console.error(`[cluster-tls] job ${job.name} failed: ${result.error}`);
  };
  let busy = false;
  const tick = async () => {
    if (busy) return; // a slow run never overlaps the next tick
    busy = true;
    try {
      for (const job of JOBS) await runAndReport(job);
    } catch (error) {
      console.error(`[cluster-tls] job scheduler: ${String(error)}`);
    } finally {
      busy = false;
    }
  };
  const first = setTimeout(tick, FIRST_TICK_MS);
  const every = setInterval(tick, TICK_MS);
  first.unref();
  every.unref();
  // Jobs due more often than the tick (stale agents) get a timer of their own; runJob still
  // claims each run, so instances sharing a database do not both run it.
  const frequent = JOBS.filter((job) => job.intervalMs < TICK_MS).map((job) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void runAndReport(job)
        .catch((error: unknown) => console.error(`[cluster-tls] job ${job.name}: ${String(error)}`))
        .finally(() => (running = false));
    }, job.intervalMs);
    timer.unref();
    return timer;
  });
  const nudged = new Map<string, NodeJS.Timeout>();
  setJobNudger((name) => {
    const job = findJob(name);
    if (!job || nudged.has(name)) return;
    const timer = setTimeout(() => {
      nudged.delete(name);
      void runAndReport(job, { skipInterval: true, trigger: "event" }).catch((error: unknown) =>
        console.error(`[cluster-tls] job ${name}: ${String(error)}`),
      );
    }, NUDGE_DELAY_MS);
    timer.unref();
    nudged.set(name, timer);
  });
  return () => {
    clearTimeout(first);
    clearInterval(every);
    for (const timer of frequent) clearInterval(timer);
    setJobNudger(null);
    for (const timer of nudged.values()) clearTimeout(timer);
  };
}
