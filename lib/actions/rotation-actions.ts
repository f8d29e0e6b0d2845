"use server";

import { z } from "zod";
import { KEY_ALGORITHMS } from "@/lib/db/schema/enums";
import { requireSessionContext, type SessionContext } from "@/lib/auth/session-context";
import { kickCaRotationJob } from "@/lib/jobs/ca-rotation";
import { getRotationStatus } from "@/lib/services/rotation/rotation-status";
import { ZLaggingNodeCountField } from "@/lib/validations/rotation";
import {
  cancelRotation,
  createRotationCa,
  publishRotationCa,
  retireOldCa,
  startRotationReissue,
} from "@/lib/services/rotation/rotation-steps";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

const ZCluster = z.object({ clusterId: z.string().uuid() });

function stepContext(clusterId: string, { db, actor, keyRing }: SessionContext) {
  return { db, actor, keyRing, clusterRef: clusterId };
}

export const createRotationCaAction = userAction(
  "ca_rotation.create_ca",
  ZCluster.extend({ keyAlgorithm: z.enum(KEY_ALGORITHMS).optional() }),
  async ({ clusterId, keyAlgorithm }, context) => {
    const result = await createRotationCa(stepContext(clusterId, context), { keyAlgorithm });
    revalidateCertificateViews();
    return result;
  },
);

export const publishRotationCaAction = userAction("ca_rotation.publish_ca", ZCluster, async ({ clusterId }, context) => {
  const result = await publishRotationCa(stepContext(clusterId, context));
  revalidateCertificateViews();
  return result;
});

/** Step 3: switches the signing CA, then re-issues in the background; the wizard polls progress. */
export const startRotationReissueAction = userAction("ca_rotation.start_reissue", ZCluster, async ({ clusterId }, context) => {
  const result = await startRotationReissue(stepContext(clusterId, context));
  kickCaRotationJob(context.db, context.keyRing, context.actor.id);
  revalidateCertificateViews();
  return result;
});

/** Step 4; `confirmLaggingNodes` is the count the admin typed to retire over agent nodes that lack the new chain. */
export const retireOldCaAction = userAction(
  "ca_rotation.retire_old_ca",
  ZCluster.extend({ confirm: z.literal("yes").optional(), confirmLaggingNodes: ZLaggingNodeCountField }),
  async ({ clusterId, confirm, confirmLaggingNodes }, context) => {
    const result = await retireOldCa(stepContext(clusterId, context), { confirm: confirm === "yes", confirmLaggingNodes });
    revalidateCertificateViews();
    return result;
  },
);

export const cancelRotationAction = userAction("ca_rotation.cancel", ZCluster, async ({ clusterId }, context) => {
  const result = await cancelRotation(stepContext(clusterId, context));
  revalidateCertificateViews();
  return result;
});

/** What the wizard polls while step 3 runs (TanStack Query). */
export async function rotationStatusAction(clusterId: string) {
  const { db, actor } = await requireSessionContext();
  return getRotationStatus(db, actor, clusterId);
}
