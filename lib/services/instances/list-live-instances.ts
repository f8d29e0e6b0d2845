import "server-only";
import { asc, sql } from "drizzle-orm";
import { rowsOf, schema, type Database } from "@/lib/db";
import { liveInstances, type InstanceRow } from "./live-instances";

/** The servers on this database with a recent heartbeat, oldest first, judged by the database's clock. */
export async function listLiveInstances(
  db: Database,
  { exclude }: { exclude?: string } = {},
): Promise<{ now: Date; instances: InstanceRow[] }> {
  const [rows, clock] = await Promise.all([
    db.select().from(schema.appInstances).orderBy(asc(schema.appInstances.startedAt)),
    db.execute(sql`SELECT now() AS now`),
  ]);
  const now = new Date(rowsOf<{ now: string | Date }>(clock)[0]!.now);
  return { now, instances: liveInstances(rows, now, { exclude }) };
}
