import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { id } from "./columns";
import { inList } from "./enums";

export const JOB_OUTCOMES = ["running", "succeeded", "failed", "skipped"] as const;
export type JobOutcome = (typeof JOB_OUTCOMES)[number];

/**
 * One row per run of a scheduled job (CRL refresh, renewal, …) on whichever app instance held
 * the job's advisory lock: what the Jobs page shows, and how instances agree a run is due.
 */
export const jobRuns = pgTable(
  "job_runs",
  {
    id: id(),
    job: text("job").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    outcome: text("outcome").$type<JobOutcome>().notNull().default("running"),
    // What the run did, e.g. { crlsSigned: 2 } or { renewed: ["db1…"] }.
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default({}),
    error: text("error"),
    durationMs: integer("duration_ms"),
    // "schedule" or the id of the admin who pressed Run now.
    trigger: text("trigger").notNull().default("schedule"),
    instance: text("instance").notNull(),
  },
  (t) => [
    index("job_runs_job_started_idx").on(t.job, t.startedAt),
    check("job_runs_outcome_check", sql.raw(`outcome IN (${inList(JOB_OUTCOMES)})`)),
  ],
);
