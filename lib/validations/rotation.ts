import { z } from "zod";
import { KEY_ALGORITHMS } from "@/lib/db/schema/enums";
import { emptyToUndefined } from "./empty-to-undefined";

/** Step 4's override: the number of agent nodes still lacking the new chain, as the admin typed it. */
const TYPE_THE_COUNT = "Type the number of nodes listed, as a whole number";
const count = z.number({ message: TYPE_THE_COUNT }).int(TYPE_THE_COUNT).min(0, TYPE_THE_COUNT).max(1_000_000, TYPE_THE_COUNT);

/** The API's JSON body: a number or absent. */
export const ZLaggingNodeCount = count.optional();

/** The wizard's form field: text, empty meaning "not typed". */
export const ZLaggingNodeCountField = z.preprocess((value) => {
  const given = emptyToUndefined(typeof value === "string" ? value.trim() : value);
  return typeof given === "string" && /^\d{1,7}$/.test(given) ? Number(given) : given;
}, count.optional());

/**
 * POST …/rotation/{step}: create takes `keyAlgorithm` (default: the cluster's), retire takes
 * `confirm` (revoke the leaves still under the old CA) and `confirmLaggingNodes`; the other steps
 * take nothing, and fields a step does not use are ignored.
 */
export const ZRotationStepInput = z.object({
  keyAlgorithm: z.enum(KEY_ALGORITHMS, { message: `must be one of ${KEY_ALGORITHMS.join(", ")}` }).optional(),
  confirm: z.boolean({ message: "Must be true or false" }).optional(),
  confirmLaggingNodes: ZLaggingNodeCount,
});
export type TRotationStepInput = z.input<typeof ZRotationStepInput>;
