import "server-only";
import { isEmbeddedDatabase, refreshPlannerStatistics } from "@/lib/db/planner-statistics";
import type { JobDefinition } from "./types";

/** Autovacuum's ANALYZE for the embedded database, which has none (lib/db/planner-statistics.ts). */
export const plannerStatisticsJob: JobDefinition = {
  name: "planner-statistics",
  title: "Planner statistics (embedded database)",
  description: "PGlite runs no autovacuum: tables whose row counts changed by more than 10% are analyzed, so queries keep good plans as the fleet grows.",
  intervalMs: 10 * 60_000,
  hasWork: async ({ db }) => isEmbeddedDatabase(db),
  run: async ({ db }) => ({ analyzed: await refreshPlannerStatistics(db) }),
};
