import "server-only";
import type { z } from "zod";
import { requireSessionUser, type SessionUser } from "@/lib/auth/current-user";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { recordRefusal } from "@/lib/services/audit/record-refusal";
import { fieldErrorsOf } from "@/lib/validations/field-errors";
import { containsNul } from "@/lib/validations/postgres-text";
import { echoValues, invalidInput, toActionError, type ActionResult } from "./action-result";

/** FormData as a plain object (repeated keys become arrays) for zod. */
export function formDataToObject(formData: FormData): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue; // React's own hidden fields
    const existing = result[key];
    result[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return result;
}

/** The ids a refused action named (nodeId, clusterId, serial, …): the object of its audit row; never other input. */
function objectIdsOf(input: unknown): Record<string, string> {
  if (!input || typeof input !== "object") return {};
  return Object.fromEntries(Object.entries(input).filter(([key, value]) => typeof value === "string" && (/Id$/.test(key) || key === "serial" || key === "job")));
}

/**
 * The one wrapper every signed-in server action uses: session → zod → handler (a service call)
 * → ActionResult. Permission checks stay in the services the handler calls; a refusal is audited here.
 */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.infer<S>, user: SessionUser) => Promise<T>,
) {
  return async (_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
    const user = await requireSessionUser();
    const nul = [...formData.entries()].find(([key, value]) => typeof value === "string" && !key.startsWith("$") && containsNul(value));
    if (nul) return invalidInput({ [nul[0]]: ["Contains a NUL character"] }, formData);
    const parsed = schema.safeParse(formDataToObject(formData));
    if (!parsed.success) return invalidInput(fieldErrorsOf(parsed.error), formData);
    try {
      return { ok: true, data: await handler(parsed.data, user) };
    } catch (error) {
      await recordRefusal(async () => (await getRuntime()).database.db, user, error, { request: "server action", objectIds: objectIdsOf(parsed.data) });
      return { ok: false, error: { ...toActionError(error), values: echoValues(formData) } };
    }
  };
}
