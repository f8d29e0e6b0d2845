import "server-only";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/access/actor";
import { describeError } from "@/lib/errors/describe-error";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { nodesAwaitingCa } from "./rotation-status";

/**
 * Step 3's work: re-issues every server certificate not yet signed by the rotation's new CA,
 * through the bulk re-issue (a transaction per chunk of nodes). Nothing but the certificates says what is left, so after a crash
 * (kill -9 mid-way) running it again picks up exactly the nodes still waiting. A node that
 * fails is skipped for this run and named in lastError; the step stays open until all are done.
 */
export async function continueRotation(db: Database, keyRing: KeyRing, rotationId: string) {
  const { caRotations } = schema;
  const [rotation] = await db.select().from(caRotations).where(eq(caRotations.id, rotationId));
  if (!rotation?.reissueStartedAt || rotation.reissueFinishedAt || rotation.cancelledAt) return { reissued: 0, failed: [] };

  const failed = new Map<string, string>();
  let reissued = 0;
  for (;;) {
    const waiting = (await nodesAwaitingCa(db, rotation.clusterId, rotation.newCaId)).filter((n) => !failed.has(n.nodeId));
    if (waiting.length === 0) break;
    try {
      const result = await bulkReissueNodes(db, SYSTEM_ACTOR, keyRing, rotation.clusterId, {
        nodeIds: waiting.map((n) => n.nodeId),
        skipMissing: true,
        reason: "ca-rotation",
      });
      reissued += result.reissued;
      for (const f of result.failed) failed.set(f.nodeId, `${f.hostname}: ${f.error}`);
    } catch (error) {
      // Nothing could be issued (e.g. the new CA cannot be loaded): name it on each node; the job retries later.
      for (const node of waiting) failed.set(node.nodeId, `${node.hostname}: ${describeError(error)}`);
    }
  }

  if (failed.size > 0) {
    await db
      .update(caRotations)
      .set({ lastError: [...failed.values()].slice(0, 5).join("; ") })
      .where(eq(caRotations.id, rotationId));
    return { reissued, failed: [...failed.values()] };
  }
  await db.transaction(async (tx) => {
    const [finished] = await tx
      .update(caRotations)
      .set({ reissueFinishedAt: new Date(), lastError: null })
      .where(and(eq(caRotations.id, rotationId), isNull(caRotations.reissueFinishedAt)))
      .returning({ id: caRotations.id });
    if (finished) {
      await recordAuditEvent(tx, SYSTEM_ACTOR, {
        action: "ca_rotation.reissued",
        objectType: "cluster",
        objectId: rotation.clusterId,
        clusterId: rotation.clusterId,
        details: { rotation: rotationId, reissuedThisRun: reissued },
      });
    }
  });
  return { reissued, failed: [] };
}

/** Rotations whose step 3 has started and not finished: the job's work list. */
export async function rotationsReissuing(db: Database) {
  const { caRotations } = schema;
  return db
    .select({ id: caRotations.id })
    .from(caRotations)
    .where(and(isNotNull(caRotations.reissueStartedAt), isNull(caRotations.reissueFinishedAt), isNull(caRotations.cancelledAt)));
}
