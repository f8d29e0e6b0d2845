import { z } from "zod";

/**
 * Every refusal the API sends: `{"error":{"code","message"}}`, the message naming the problem.
 * An input that breaks its contract is always 400 VALIDATION_FAILED with `fields` (field → its
 * problems; empty when the body as a whole is wrong, e.g. not JSON).
 */
export const ZApiErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.string().min(1),
    message: z.string().min(1),
    fields: z.record(z.string(), z.array(z.string())).optional(),
  }),
});
export type TApiErrorBody = z.infer<typeof ZApiErrorBody>;
