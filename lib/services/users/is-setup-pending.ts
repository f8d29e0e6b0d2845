import "server-only";
import { schema, type Executor } from "@/lib/db";

/** The one-time /setup page exists only while there is no user at all. */
export async function isSetupPending(db: Executor): Promise<boolean> {
  const [row] = await db.select({ id: schema.users.id }).from(schema.users).limit(1);
  return !row;
}
