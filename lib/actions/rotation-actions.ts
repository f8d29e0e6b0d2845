"use server";

import { z } from "zod";
import { KEY_ALGORITHMS } from "@/lib/db/schema/enums";
import { requireSessionUser, type SessionUser } from "@/lib/auth/current-user";
import { kickCaRotationJob } from "@/lib/jobs/ca-rotation";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { getRotationStatus } from "@/lib/services/rotation/rotation-status";
import { ZLaggingNodeCountField } from "@/lib/validations/rotation";
import { cancelRotation, createRotationCa, publishRotationCa, retireOldCa, startRotationReissue } from "@/lib/services/rotation/rotation-steps";
import { revalidateCertificateViews } from "./revalidate";
import { userAction } from "./user-action";

const ZCluster = z.object({ clusterId: z.string().uuid() });

async function stepContext(clusterId: string, user: SessionUser) {
  const { database, keyRing } = await getRuntime();
  return { db: database.db, actor: user, keyRing, clusterRef: clusterId };
}

export const createRotationCaAction = userAction(ZCluster.extend({ keyAlgorithm: z.enum(KEY_ALGORITHMS).optional() }), async ({ clusterId, keyAlgorithm }, user) => {
  const result = await createRotationCa(await stepContext(clusterId, user), { keyAlgorithm });
  revalidateCertificateViews();
  return result;
});

export const publishRotationCaAction = userAction(ZCluster, async ({ clusterId }, user) => {
  const result = await publishRotationCa(await stepContext(clusterId, user));
  revalidateCertificateViews();
  return result;
});

/** Step 3: switches the signing CA, then re-issues in the background; the wizard polls progress. */
export const startRotationReissueAction = userAction(ZCluster, async ({ clusterId }, user) => {
  const context = await stepContext(clusterId, user);
  const result = await startRotationReissue(context);
  kickCaRotationJob(context.db, context.keyRing, user.id);
  revalidateCertificateViews();
  return result;
});

/** Step 4; `confirmLaggingNodes` is the count the admin typed to retire over agent nodes that lack the new chain. */
export const retireOldCaAction = userAction(ZCluster.extend({ confirm: z.literal("yes").optional(), confirmLaggingNodes: ZLaggingNodeCountField }), async ({ clusterId, confirm, confirmLaggingNodes }, user) => {
  const result = await retireOldCa(await stepContext(clusterId, user), { confirm: confirm === "yes", confirmLaggingNodes });
  revalidateCertificateViews();
  return result;
});

export const cancelRotationAction = userAction(ZCluster, async ({ clusterId }, user) => {
  const result = await cancelRotation(await stepContext(clusterId, user));
  revalidateCertificateViews();
  return result;
});

/** What the wizard polls while step 3 runs (TanStack Query). */
export async function rotationStatusAction(clusterId: string) {
  const user = await requireSessionUser();
  const { database } = await getRuntime();
  return getRotationStatus(database.db, user, clusterId);
}
