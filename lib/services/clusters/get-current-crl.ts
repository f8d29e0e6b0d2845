import "server-only";
import { desc, eq } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import type { Actor } from "@/lib/access/actor";
import { derToPem } from "@/lib/pki";
import { getClusterOrThrow } from "./get-cluster";
import { activeCaOf, trustedCasOf } from "@/lib/services/queries/cluster-cas";

/** The newest CRL of the cluster's signing (active) CA: what `GET …/crl` serves as DER. */
export async function getCurrentCrl(db: Executor, actor: Actor, clusterRef: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const { certificateAuthorities: cas, crls } = schema;
  const [row] = await db
    .select({
      der: crls.der,
      crlNumber: crls.crlNumber,
      thisUpdate: crls.thisUpdate,
      nextUpdate: crls.nextUpdate,
      entryCount: crls.entryCount,
    })
    .from(crls)
    .innerJoin(cas, eq(cas.id, crls.caId))
    .where(activeCaOf(cluster.id))
    .orderBy(desc(crls.crlNumber))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", `cluster "${cluster.name}" has no CRL yet`);
  return { clusterName: cluster.name, ...row };
}

/**
 * What `ssl_crl_file` must hold: the newest CRL of every CA in root.crt, as concatenated PEM.
 * PostgreSQL checks each client certificate against its issuer's CRL and refuses it when that
 * CRL is missing, so during a rotation the file carries the old and the new CA's CRLs.
 * An intermediate under an external root adds that root's CRLs (uploaded by an admin): PostgreSQL
 * checks the intermediate itself too. nextUpdate is the soonest of them all: the file is stale from then on.
 */
export async function getTrustedCrlsPem(db: Executor, actor: Actor, clusterRef: string) {
  return readTrustedCrlsPem(db, await getClusterOrThrow(db, actor, clusterRef));
}

/** The same, for a cluster the caller has already resolved (and checked the actor against). */
export async function readTrustedCrlsPem(db: Executor, cluster: { id: string; name: string }) {
  const { certificateAuthorities: cas, crls } = schema;
  const rows = await db
    .selectDistinctOn([crls.caId], {
      der: crls.der,
      nextUpdate: crls.nextUpdate,
      externalCrlPem: cas.externalCrlPem,
      externalCrlNextUpdate: cas.externalCrlNextUpdate,
    })
    .from(crls)
    .innerJoin(cas, eq(cas.id, crls.caId))
    .where(trustedCasOf(cluster.id))
    .orderBy(crls.caId, desc(crls.crlNumber));
  if (rows.length === 0) throw new AppError("NOT_FOUND", `cluster "${cluster.name}" has no CRL yet`);
  const nextUpdates = rows.flatMap((r) => [r.nextUpdate, ...(r.externalCrlNextUpdate ? [r.externalCrlNextUpdate] : [])]);
  const nextUpdate = new Date(Math.min(...nextUpdates.map((d) => d.getTime())));
  return { clusterName: cluster.name, pem: rows.map((r) => derToPem(r.der, "X509 CRL") + r.externalCrlPem).join(""), nextUpdate };
}
