import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { Actor } from "@/lib/access/actor";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";
import { collectRotationEvidence } from "./get-rotation-evidence";

/** Where a rotation stands: the step the wizard offers next. */
export type RotationStep = "create" | "publish" | "reissue" | "reissuing" | "retire";

export type Rotation = typeof schema.caRotations.$inferSelect;

/** The cluster's rotation in progress, if any (at most one: a partial unique index). */
export async function findOpenRotation(db: Executor, clusterId: string, { lock = false } = {}): Promise<Rotation | null> {
  const { caRotations } = schema;
  const query = db
    .select()
    .from(caRotations)
    .where(and(eq(caRotations.clusterId, clusterId), isNull(caRotations.retiredAt), isNull(caRotations.cancelledAt)));
  const [rotation] = lock ? await query.for("update") : await query;
  return rotation ?? null;
}

export function rotationStep(rotation: Rotation | null): RotationStep {
  if (!rotation) return "create";
  if (!rotation.publishedAt) return "publish";
  if (!rotation.reissueStartedAt) return "reissue";
  if (!rotation.reissueFinishedAt) return "reissuing";
  return "retire";
}

/** Live nodes whose active server certificate is not yet signed by `caId`: step 3's work list. */
export function nodesAwaitingCa(db: Executor, clusterId: string, caId: string) {
  const { certificates: c, nodes } = schema;
  return db
    .select({ nodeId: nodes.id, hostname: nodes.hostname })
    .from(c)
    .innerJoin(nodes, eq(nodes.id, c.nodeId))
    .where(awaitingCa(clusterId, caId))
    .orderBy(asc(nodes.hostname));
}

/** How many nodes step 3 still has to re-issue (what the wizard polls every second). */
export async function countNodesAwaitingCa(db: Executor, clusterId: string, caId: string): Promise<number> {
  const { certificates: c, nodes } = schema;
  const [row] = await db.select({ total: count() }).from(c).innerJoin(nodes, eq(nodes.id, c.nodeId)).where(awaitingCa(clusterId, caId));
  return row?.total ?? 0;
}

function awaitingCa(clusterId: string, caId: string) {
  const { certificates: c, nodes } = schema;
  return and(eq(c.clusterId, clusterId), eq(c.kind, "server"), eq(c.status, "active"), isNull(nodes.removedAt), ne(c.issuerCaId, caId));
}

/** Active leaves still signed by `caId`: what stops working when that CA leaves root.crt. */
export async function leavesDependingOn(db: Executor, caId: string, limit = 20) {
  const { certificates: c } = schema;
  const where = and(eq(c.issuerCaId, caId), eq(c.status, "active"), inArray(c.kind, ["server", "client"]));
  const [{ total }] = (await db.select({ total: count() }).from(c).where(where)) as [{ total: number }];
  const sample = await db
    .select({ id: c.id, kind: c.kind, commonName: c.commonName, serialHex: c.serialHex, notAfter: c.notAfter })
    .from(c)
    .where(where)
    .orderBy(asc(c.kind), asc(c.commonName))
    .limit(limit);
  return { total, sample };
}

/**
 * What the rotation wizard shows: the step, both CAs, step 3's progress, what the nodes report
 * (from step 2 on) and, before step 4, the leaves that still depend on the old CA. With no rotation open, the last finished one.
 */
export async function getRotationStatus(db: Executor, actor: Actor, clusterRef: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  const rotation = await findOpenRotation(db, cluster.id);
  const step = rotationStep(rotation);
  const { caRotations, certificateAuthorities: cas, certificates } = schema;
  const [lastFinished] = rotation
    ? []
    : await db
        .select({ retiredAt: caRotations.retiredAt, cancelledAt: caRotations.cancelledAt })
        .from(caRotations)
        .where(eq(caRotations.clusterId, cluster.id))
        .orderBy(desc(caRotations.createdAt))
        .limit(1);
  const caIds = rotation ? [rotation.oldCaId, rotation.newCaId] : [];
  const authorities = caIds.length
    ? await db
        .select({
          id: cas.id,
          state: cas.state,
          subject: certificates.subject,
          keyAlgorithm: certificates.keyAlgorithm,
          notAfter: certificates.notAfter,
          fingerprintSha256: certificates.fingerprintSha256,
        })
        .from(cas)
        .innerJoin(certificates, eq(certificates.id, cas.certificateId))
        .where(inArray(cas.id, caIds))
    : [];
  const remaining = rotation && step === "reissuing" ? await countNodesAwaitingCa(db, cluster.id, rotation.newCaId) : 0;
  const dependents = rotation && step === "retire" ? await leavesDependingOn(db, rotation.oldCaId) : null;
  // From step 2 on: who trusts the new CA, who serves from it, and which agent nodes hold step 4 back.
  const evidence = rotation?.publishedAt ? await collectRotationEvidence(db, cluster.id, rotation.newCaId) : null;
  return {
    cluster: { id: cluster.id, name: cluster.name, keyAlgorithm: cluster.keyAlgorithm, archived: cluster.archivedAt !== null },
    step,
    rotation: rotation && {
      id: rotation.id,
      createdAt: rotation.createdAt,
      publishedAt: rotation.publishedAt,
      reissueStartedAt: rotation.reissueStartedAt,
      reissueFinishedAt: rotation.reissueFinishedAt,
      reissueTotal: rotation.reissueTotal,
      // Derived, not stored: the certificates say how far step 3 has come.
      reissueDone: rotation.reissueFinishedAt
        ? rotation.reissueTotal
        : step === "reissuing"
          ? Math.max(0, rotation.reissueTotal - remaining)
          : 0,
      lastError: rotation.lastError,
    },
    oldCa: authorities.find((a) => a.id === rotation?.oldCaId) ?? null,
    newCa: authorities.find((a) => a.id === rotation?.newCaId) ?? null,
    dependents,
    evidence,
    lastFinished: lastFinished ?? null,
  };
}

export type RotationStatus = Awaited<ReturnType<typeof getRotationStatus>>;
