import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { clusters } from "./clusters";
import { createdAt, id, updatedAt } from "./columns";
import { certificateAuthorities } from "./pki";

/**
 * One CA rotation of a cluster, as the wizard walks it: each step stamps its time, so the
 * wizard (and a restarted server) knows where it stands. Step 3's progress is not stored: which
 * nodes remain is always read from the certificates themselves, so a crash loses nothing.
 */
export const caRotations = pgTable(
  "ca_rotations",
  {
    id: id(),
    clusterId: uuid("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "restrict" }),
    oldCaId: uuid("old_ca_id")
      .notNull()
      .references(() => certificateAuthorities.id, { onDelete: "restrict" }),
    newCaId: uuid("new_ca_id")
      .notNull()
      .references(() => certificateAuthorities.id, { onDelete: "restrict" }),
    startedBy: text("started_by").notNull(),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    reissueStartedAt: timestamp("reissue_started_at", { withTimezone: true }),
    reissueFinishedAt: timestamp("reissue_finished_at", { withTimezone: true }),
    reissueTotal: integer("reissue_total").notNull().default(0),
    // The last node that could not be re-issued and why; the step retries it on resume.
    lastError: text("last_error"),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // One rotation in progress per cluster.
    uniqueIndex("ca_rotations_one_open_per_cluster")
      .on(t.clusterId)
      .where(sql`retired_at IS NULL AND cancelled_at IS NULL`),
    index("ca_rotations_cluster_idx").on(t.clusterId, t.createdAt),
  ],
);
