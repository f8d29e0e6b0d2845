import { NextResponse } from "next/server";
import { apiHandler } from "@/lib/api/api-handler";
import { rotationStepOperation } from "@/lib/api/openapi/operations";
import { AppError } from "@/lib/errors/app-error";
import { kickCaRotationJob } from "@/lib/jobs/ca-rotation";
import { getRotationStatus } from "@/lib/services/rotation/rotation-status";
import {
  cancelRotation,
  createRotationCa,
  publishRotationCa,
  retireOldCa,
  startRotationReissue,
} from "@/lib/services/rotation/rotation-steps";

export const dynamic = "force-dynamic";

const STEPS = ["create", "publish", "reissue", "retire", "cancel"] as const;

/**
 * One wizard step: create `{keyAlgorithm?}`, publish, reissue (returns at once; poll GET
 * …/rotation for progress), retire `{confirm?, confirmLaggingNodes?}` (the count of agent nodes
 * still lacking the new chain, to retire anyway), cancel. Repeating a finished step is a no-op
 * (`changed: false`); a step out of order is a 409 naming the step that comes first.
 */
export const POST = apiHandler(rotationStepOperation, async ({ db, actor, keyRing, params, input }) => {
  const step = STEPS.find((s) => s === params.step);
  if (!step) throw new AppError("NOT_FOUND", `unknown rotation step ${JSON.stringify(params.step)}; one of ${STEPS.join(", ")}`);
  const context = { db, actor, keyRing, clusterRef: params.cluster };
  let changed: boolean;
  switch (step) {
    case "create":
      changed = (await createRotationCa(context, { keyAlgorithm: input.keyAlgorithm })).changed;
      break;
    case "publish":
      changed = (await publishRotationCa(context)).changed;
      break;
    case "reissue":
      changed = (await startRotationReissue(context)).changed;
      kickCaRotationJob(db, keyRing, actor.label);
      break;
    case "retire":
      changed = (await retireOldCa(context, { confirm: input.confirm === true, confirmLaggingNodes: input.confirmLaggingNodes })).changed;
      break;
    case "cancel":
      await cancelRotation(context);
      changed = true;
      break;
  }
  return NextResponse.json({ changed, ...(await getRotationStatus(db, actor, params.cluster)) });
});
