/**
 * Lets a change ask for a job soon instead of at the next minute's tick (a webhook event just
 * queued wants delivering). No imports, so services can call it without pulling in the jobs.
 * A no-op where no scheduler runs: the CLI, tests, CLUSTER_TLS_JOBS=off.
 */
type Nudger = (jobName: string) => void;

let nudger: Nudger | null = null;

export function setJobNudger(next: Nudger | null): void {
  nudger = next;
}

export function nudgeJob(jobName: string): void {
  nudger?.(jobName);
}
