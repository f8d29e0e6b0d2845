import { processSingleton } from "@/lib/cache/process-singleton";

/**
 * Lets a change ask for a job soon instead of at the next minute's tick (a webhook event just
 * queued wants delivering). A no-op where no scheduler runs: the CLI, tests, CLUSTER_TLS_JOBS=off.
 * The nudger lives on globalThis (processSingleton): Next.js loads this module once per bundle,
 * and the scheduler (instrumentation) and the route handlers that nudge are different bundles.
 */
type Nudger = (jobName: string) => void;

const slot = () => processSingleton("job-nudger", () => ({ nudger: null as Nudger | null }));

export function setJobNudger(next: Nudger | null): void {
  slot().nudger = next;
}

export function nudgeJob(jobName: string): void {
  slot().nudger?.(jobName);
}
