import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import { TRUSTED_CA_STATES } from "@/lib/db/schema/enums";
import type { Actor } from "@/lib/access/actor";
import { findOpenRotation, rotationStep } from "@/lib/services/rotation/rotation-status";
import { getClusterOrThrow } from "./get-cluster";

/** What the cluster page shows: settings, its trusted CAs, the current CRL and a rotation in progress. */
export async function getClusterOverview(db: Executor, actor: Actor, clusterRef: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const { certificateAuthorities: cas, certificates, crls } = schema;
  const authorities = await db
    .select({
      id: cas.id,
      kind: cas.kind,
      state: cas.state,
      subject: certificates.subject,
      serialHex: certificates.serialHex,
      keyAlgorithm: certificates.keyAlgorithm,
      notBefore: certificates.notBefore,
      notAfter: certificates.notAfter,
      fingerprintSha256: certificates.fingerprintSha256,
    })
    .from(cas)
    .innerJoin(certificates, eq(certificates.id, cas.certificateId))
    .where(and(eq(cas.clusterId, cluster.id), inArray(cas.state, TRUSTED_CA_STATES)))
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
  const rotation = await findOpenRotation(db, cluster.id);
  return { cluster, authorities, crl: crl ?? null, rotationStep: rotation ? rotationStep(rotation) : null };
}
