import "server-only";
import { pruneHistory, RETENTION_DAYS } from "@/lib/services/maintenance/prune-history";
import type { JobDefinition } from "./types";

export const pruneHistoryJob: JobDefinition = {
  name: "prune-history",
  title: "History clean-up",
  description: `Deletes job runs older than ${RETENTION_DAYS.jobRuns} days, finished webhook deliveries older than ${RETENTION_DAYS.webhookDeliveries} days and superseded CRLs older than ${RETENTION_DAYS.supersededCrls} days. The audit log is kept.`,
  intervalMs: 24 * 60 * 60_000,
  run: ({ db, now }) => pruneHistory(db, now),
};
