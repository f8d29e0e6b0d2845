import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";

/** A cluster's client certificates with their owners, soonest expiry first (caller has checked access). */
export async function listClientCertificates(db: Executor, clusterId: string) {
  const { certificates: c, users } = schema;
  return db
    .select({ id: c.id, serialHex: c.serialHex, databaseUser: c.databaseUser, status: c.status, notAfter: c.notAfter, ownerEmail: users.email, fromCsr: c.fromCsr })
    .from(c)
    .leftJoin(users, eq(users.id, c.ownerUserId))
    .where(and(eq(c.clusterId, clusterId), eq(c.kind, "client")))
    .orderBy(asc(c.notAfter));
}
