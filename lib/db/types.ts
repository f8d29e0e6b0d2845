import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

/** The Drizzle handle services use; the same type whether PGlite or node-postgres is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A transaction handle (what `db.transaction(async (tx) => …)` passes). */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Either: services accept one so callers can compose writes into their own transaction. */
export type Executor = Database | Transaction;

export type DatabaseKind = "pglite" | "postgres";

export type DatabaseHandle = {
  kind: DatabaseKind;
  db: Database;
  /** Human-readable location without secrets, for logs and /api/health. */
  description: string;
  close: () => Promise<void>;
};
