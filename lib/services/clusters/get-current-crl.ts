import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { getClusterOrThrow } from "./get-cluster";

/** The newest CRL of the cluster's active CA (what ssl_crl_file should hold). */
export async function getCurrentCrl(db: Executor, actor: Actor, clusterRef: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const { certificateAuthorities: cas, crls } = schema;
  const [row] = await db
    .select({ der: crls.der, crlNumber: crls.crlNumber, thisUpdate: crls.thisUpdate, nextUpdate: crls.nextUpdate, entryCount: crls.entryCount })
    .from(crls)
    .innerJoin(cas, eq(cas.id, crls.caId))
    .where(and(eq(cas.clusterId, cluster.id), eq(cas.state, "active")))
    .orderBy(desc(crls.crlNumber))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", `cluster "${cluster.name}" has no CRL yet`);
  return { clusterName: cluster.name, ...row };
}
