import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { findOpenRotation, rotationStep } from "@/lib/services/rotation/rotation-status";
import { getCaRequest } from "./external-ca";
import { getClusterOrThrow } from "./get-cluster";
import { trustedCasOf } from "@/lib/services/queries/cluster-cas";

/**
 * What the cluster page shows: settings, its trusted CAs, the current CRL, a rotation in
 * progress, and the CSR an intermediate waits on when an external root has yet to sign it.
 */
export async function getClusterOverview(db: Executor, actor: Actor, clusterRef: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const { certificateAuthorities: cas, certificates, crls } = schema;
  const authorities = await db
    .select({
      id: cas.id,
      kind: cas.kind,
      origin: cas.origin,
      state: cas.state,
      hasExternalIssuer: sql<boolean>`${cas.externalChainPem} <> ''`,
      externalCrlNextUpdate: cas.externalCrlNextUpdate,
      subject: certificates.subject,
      serialHex: certificates.serialHex,
      keyAlgorithm: certificates.keyAlgorithm,
      notBefore: certificates.notBefore,
      notAfter: certificates.notAfter,
      fingerprintSha256: certificates.fingerprintSha256,
    })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(trustedCasOf(cluster.id))
    .orderBy(desc(cas.createdAt));
  const active = authorities.find((a) => a.state === "active");
  const [crl] = active
    ? await db
        .select({ crlNumber: crls.crlNumber, thisUpdate: crls.thisUpdate, nextUpdate: crls.nextUpdate, entryCount: crls.entryCount })
        .from(crls)
        .where(eq(crls.caId, active.id))
        .orderBy(desc(crls.crlNumber))
        .limit(1)
    : [];
  const [rotation, caRequest] = await Promise.all([
    findOpenRotation(db, cluster.id),
    authorities.length === 0 ? getCaRequest(db, actor, cluster.id) : null,
  ]);
  return { cluster, authorities, crl: crl ?? null, rotationStep: rotation ? rotationStep(rotation) : null, caRequest };
}
