import type { Database } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";

/** What a job run gets: the clock is a parameter so tests can move time forward. */
export type JobContext = { db: Database; keyRing: KeyRing; now: Date };

export type JobDefinition = {
  name: string;
  title: string;
  description: string;
  /** How often it is due; the runner also checks every minute, so a missed tick catches up. */
  intervalMs: number;
  /** When given and false, a due run is skipped without a record (jobs that usually have nothing to do). */
  hasWork?: (context: Pick<JobContext, "db">) => Promise<boolean>;
  /** Does the work and returns a summary for the Jobs page (counts, names). */
  run: (context: JobContext) => Promise<Record<string, unknown>>;
};
