import "server-only";
import { and, count, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { schema, type Database, type Transaction } from "@/lib/db";
import { pgErrorCode, UNIQUE_VIOLATION } from "@/lib/db/errors";
import { KEY_ALGORITHMS, type CaState } from "@/lib/db/schema/enums";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";
import { insertCa, prepareRootCa } from "@/lib/services/pki/new-ca";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { collectRotationEvidence, describeLagging } from "./get-rotation-evidence";
import {
  countNodesAwaitingCa,
  findOpenRotation,
  leavesDependingOn,
  rotationStep,
  type Rotation,
  type RotationStep,
} from "./rotation-status";
import { activeCaOf } from "@/lib/services/queries/cluster-cas";

/*
 * The CA rotation wizard's four steps. Each is one transaction on the locked rotation row and
 * is idempotent: repeating a step that is already done changes nothing and says so; a step
 * taken out of order is refused with the step that comes first.
 *   1. create   a new root CA, `pending` (not trusted yet, signs nothing)
 *   2. publish  root.crt = old + new; every node and client must install it before step 3
 *   3. reissue  the new CA signs from now on; every server certificate is re-issued under it
 *              (continueRotation does the work, resumably)
 *   4. retire   the old CA leaves root.crt; leaves still under it are revoked if confirmed
 */

const ZCreateRotation = z.object({
  keyAlgorithm: z.enum(KEY_ALGORITHMS, { message: `must be one of ${KEY_ALGORITHMS.join(", ")}` }).optional(),
});

type StepContext = { db: Database; actor: Actor; keyRing: KeyRing; clusterRef: string };

/** Step 1: generates the new root CA (same algorithm unless another is chosen). */
export async function createRotationCa({ db, actor, keyRing, clusterRef }: StepContext, input: unknown = {}) {
  const parsed = ZCreateRotation.safeParse(input ?? {});
  if (!parsed.success)
    throw new AppError("VALIDATION_FAILED", `keyAlgorithm: ${parsed.error.issues[0]!.message}`, {
      keyAlgorithm: [parsed.error.issues[0]!.message],
    });
  const cluster = await manageableCluster(db, actor, clusterRef);
  if (cluster.archivedAt) throw new AppError("CONFLICT", `${cluster.name} is archived: its CA is not rotated any more`);
  const open = await findOpenRotation(db, cluster.id);
  if (open) return { rotationId: open.id, changed: false };

  const { certificateAuthorities: cas } = schema;
  const [{ generation }] = (await db.select({ generation: count() }).from(cas).where(eq(cas.clusterId, cluster.id))) as [
    { generation: number },
  ];
  const keyAlgorithm = parsed.data.keyAlgorithm ?? cluster.keyAlgorithm;
  const prepared = await prepareRootCa({
    commonName: `${cluster.name} Root CA ${generation + 1}`,
    subjectTemplate: cluster.subjectTemplate,
    keyAlgorithm,
    crlDays: cluster.crlDays,
    permittedNames: cluster.permittedNames,
  });
  try {
    return await db.transaction(async (tx) => {
      const [oldCa] = await tx.select({ id: cas.id }).from(cas).where(activeCaOf(cluster.id));
      if (!oldCa) throw new AppError("CONFLICT", `${cluster.name} has no active CA to rotate`);
      const { caId } = await insertCa(tx, { clusterId: cluster.id, prepared, state: "pending", actor, masterKey: keyRing.current });
      const [rotation] = await tx
        .insert(schema.caRotations)
        .values({ clusterId: cluster.id, oldCaId: oldCa.id, newCaId: caId, startedBy: actor.label })
        .returning({ id: schema.caRotations.id });
      await audit(tx, actor, cluster.id, "ca_rotation.create", {
        rotation: rotation!.id,
        newCa: prepared.parsed.serialHex,
        keyAlgorithm,
        fingerprint: prepared.parsed.fingerprintSha256,
      });
      return { rotationId: rotation!.id, changed: true };
    });
  } catch (error) {
    // Two admins pressed it at once: the partial unique index let one through; the key made here is dropped.
    if (pgErrorCode(error) === UNIQUE_VIOLATION) return { rotationId: (await findOpenRotation(db, cluster.id))!.id, changed: false };
    throw error;
  }
}

/** Step 2: the new CA joins root.crt (and its CRL root.crl) without signing anything yet. */
export function publishRotationCa(context: StepContext) {
  return onRotation(context, "publish", async (tx, rotation) => {
    if (rotation.publishedAt) return false;
    await setCaState(tx, rotation.newCaId, "published");
    await tx.update(schema.caRotations).set({ publishedAt: new Date() }).where(eq(schema.caRotations.id, rotation.id));
    return true;
  });
}

/**
 * Step 3 begins: the new CA becomes the signing CA, the old one keeps being trusted (retiring).
 * The re-issues themselves run in continueRotation, which the caller starts and the job resumes.
 */
export function startRotationReissue(context: StepContext) {
  return onRotation(context, "reissue", async (tx, rotation) => {
    if (rotation.reissueStartedAt) return false;
    await setCaState(tx, rotation.oldCaId, "retiring");
    await setCaState(tx, rotation.newCaId, "active");
    const total = await countNodesAwaitingCa(tx, rotation.clusterId, rotation.newCaId);
    await tx
      .update(schema.caRotations)
      .set({ reissueStartedAt: new Date(), reissueTotal: total, reissueFinishedAt: total === 0 ? new Date() : null })
      .where(eq(schema.caRotations.id, rotation.id));
    return true;
  });
}

/**
 * Step 4: the old CA leaves root.crt for good. Leaves still signed by it (client certificates,
 * whose keys we never held, or a node that failed to re-issue) would stop working silently, so
 * the admin must confirm them; they are then revoked (superseded) on the old CA's last CRL.
 * It is gated on evidence: while a node with an agent has not reported the new CA in its
 * installed root.crt and a served certificate from the new CA, retiring would leave that node
 * serving a chain no client trusts any more, so it is refused unless the admin types how many
 * such nodes there are (checked against the count now, in this transaction; the override is audited).
 */
export function retireOldCa(
  context: StepContext,
  { confirm = false, confirmLaggingNodes }: { confirm?: boolean; confirmLaggingNodes?: number } = {},
) {
  return onRotation(context, "retire", async (tx, rotation) => {
    if (!rotation.reissueFinishedAt) throw new AppError("CONFLICT", "step 3 (re-issue every server certificate) is still running");
    const { lagging } = await collectRotationEvidence(tx, rotation.clusterId, rotation.newCaId);
    if (lagging.length > 0 && confirmLaggingNodes === undefined) {
      throw new AppError(
        "CONFLICT",
        `${lagging.length} node(s) with an agent do not have the new CA's chain yet: ${lagging.map(describeLagging).join("; ")}. Wait for their agents to catch up, or type ${lagging.length} to retire anyway`,
      );
    }
    if (confirmLaggingNodes !== undefined && confirmLaggingNodes !== lagging.length) {
      const message =
        lagging.length === 0
          ? "no node with an agent lacks the new CA's chain now: retire without a count"
          : `${lagging.length} node(s) with an agent lack the new CA's chain now (${lagging.map((n) => n.hostname).join(", ")}), not ${confirmLaggingNodes}`;
      throw new AppError("UNPROCESSABLE", `confirmLaggingNodes: ${message}`, { confirmLaggingNodes: [message] });
    }
    const dependents = await leavesDependingOn(tx, rotation.oldCaId, 5);
    if (dependents.total > 0 && !confirm) {
      const names = dependents.sample.map((d) => `${d.kind} ${d.commonName}`).join(", ");
      throw new AppError(
        "CONFLICT",
        `${dependents.total} active certificate(s) still depend on the old CA (${names}${dependents.total > 5 ? ", …" : ""}); confirm to revoke them`,
      );
    }
    const now = new Date();
    const { certificates: c, certificateAuthorities: cas } = schema;
    if (dependents.total > 0) {
      await tx
        .update(c)
        .set({ status: "revoked", revokedAt: now, revocationReason: "superseded" })
        .where(and(eq(c.issuerCaId, rotation.oldCaId), eq(c.status, "active")));
      await regenerateCrl(tx, rotation.oldCaId, context.keyRing.all, now);
    }
    await tx.update(cas).set({ state: "retired", retiredAt: now }).where(eq(cas.id, rotation.oldCaId));
    const [oldCa] = await tx.select({ certificateId: cas.certificateId }).from(cas).where(eq(cas.id, rotation.oldCaId));
    await tx.update(c).set({ status: "superseded" }).where(eq(c.id, oldCa!.certificateId));
    await tx.update(schema.caRotations).set({ retiredAt: now }).where(eq(schema.caRotations.id, rotation.id));
    // The audit row of this step names every node retired over, with what it lacked.
    return {
      revokedDependents: dependents.total,
      ...(lagging.length > 0 ? { gateOverride: { typedCount: confirmLaggingNodes, nodes: lagging.map(describeLagging) } } : {}),
    };
  });
}

/** Abandons a rotation before step 3: the new CA never signed anything and is dropped from trust. */
export async function cancelRotation(context: StepContext) {
  const cluster = await manageableCluster(context.db, context.actor, context.clusterRef);
  return context.db.transaction(async (tx) => {
    const rotation = await findOpenRotation(tx, cluster.id, { lock: true });
    if (!rotation) throw new AppError("CONFLICT", `${cluster.name} has no CA rotation in progress`);
    if (rotation.reissueStartedAt)
      throw new AppError("CONFLICT", "the new CA already signs server certificates; finish the rotation instead of cancelling it");
    const { certificates: c, certificateAuthorities: cas } = schema;
    const now = new Date();
    await tx.update(cas).set({ state: "retired", retiredAt: now }).where(eq(cas.id, rotation.newCaId));
    const [newCa] = await tx.select({ certificateId: cas.certificateId }).from(cas).where(eq(cas.id, rotation.newCaId));
    await tx.update(c).set({ status: "superseded" }).where(eq(c.id, newCa!.certificateId));
    await tx.update(schema.caRotations).set({ cancelledAt: now }).where(eq(schema.caRotations.id, rotation.id));
    await audit(tx, context.actor, cluster.id, "ca_rotation.cancel", { rotation: rotation.id });
    return { rotationId: rotation.id };
  });
}

const STEP_NUMBER: Record<Exclude<RotationStep, "create" | "reissuing">, number> = { publish: 2, reissue: 3, retire: 4 };

/**
 * Runs one step on the cluster's open rotation, locked. A step already done (the rotation is
 * past it) returns `changed: false`; a step whose predecessor is not done is refused.
 */
async function onRotation<T>(
  context: StepContext,
  step: keyof typeof STEP_NUMBER,
  work: (tx: Transaction, rotation: Rotation) => Promise<T | false>,
) {
  const { db, actor } = context;
  const cluster = await manageableCluster(db, actor, context.clusterRef);
  return db.transaction(async (tx) => {
    const rotation = await findOpenRotation(tx, cluster.id, { lock: true });
    if (!rotation) {
      // Repeating a step of the rotation that just finished is a no-op, not an error.
      const [last] = await tx
        .select()
        .from(schema.caRotations)
        .where(eq(schema.caRotations.clusterId, cluster.id))
        .orderBy(desc(schema.caRotations.createdAt))
        .limit(1);
      if (last?.retiredAt) return { rotationId: last.id, changed: false as const };
      throw new AppError("CONFLICT", `${cluster.name} has no CA rotation in progress; start one with step 1`);
    }
    const current = rotationStep(rotation);
    const currentNumber = current === "reissuing" ? 3 : STEP_NUMBER[current as keyof typeof STEP_NUMBER];
    if (currentNumber < STEP_NUMBER[step])
      throw new AppError("CONFLICT", `step ${currentNumber} (${current}) of the CA rotation comes first`);
    const result = await work(tx, rotation);
    if (result === false) return { rotationId: rotation.id, changed: false as const };
    await audit(tx, actor, cluster.id, `ca_rotation.${step}`, { rotation: rotation.id, ...(typeof result === "object" ? result : {}) });
    return { rotationId: rotation.id, changed: true as const, result };
  });
}

async function manageableCluster(db: Database, actor: Actor, clusterRef: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  return cluster;
}

async function setCaState(tx: Transaction, caId: string, state: CaState) {
  await tx.update(schema.certificateAuthorities).set({ state }).where(eq(schema.certificateAuthorities.id, caId));
}

function audit(tx: Transaction, actor: Actor, clusterId: string, action: string, details: Record<string, unknown>) {
  return recordAuditEvent(tx, actor, { action, objectType: "cluster", objectId: clusterId, clusterId, details });
}
