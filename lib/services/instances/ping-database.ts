import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/lib/db";

/** One round trip to the database: throws when it cannot be reached (the health check's probe). */
export async function pingDatabase(db: Executor): Promise<void> {
  await db.execute(sql`SELECT 1`);
}
