import "server-only";
import type { z } from "zod";
import { requireSessionUser } from "@/lib/auth/current-user";
import { sessionContext, type SessionContext } from "@/lib/auth/session-context";
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
  return Object.fromEntries(
    Object.entries(input).filter(([key, value]) => typeof value === "string" && (/Id$/.test(key) || key === "serial" || key === "job")),
  );
}

/**
 * The one wrapper every signed-in server action uses: session → zod → handler (a service call)
 * → ActionResult. The handler gets the request context (database, key ring, the signed-in user as
 * actor, the request's address); permission checks stay in the services it calls, and a refusal is
 * audited here with that same context, under `name` (e.g. "node.reissue") so the row says which
 * action was refused.
 */
export function userAction<S extends z.ZodType, T>(
  name: string,
  schema: S,
  handler: (input: z.infer<S>, context: SessionContext) => Promise<T>,
) {
  return async (_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
    const user = await requireSessionUser();
    const nul = [...formData.entries()].find(([key, value]) => typeof value === "string" && !key.startsWith("$") && containsNul(value));
    if (nul) return invalidInput({ [nul[0]]: ["Contains a NUL character"] }, formData);
    const parsed = schema.safeParse(formDataToObject(formData));
    if (!parsed.success) return invalidInput(fieldErrorsOf(parsed.error), formData);
    const context = await sessionContext(user);
    try {
      return { ok: true, data: await handler(parsed.data, context) };
    } catch (error) {
      await recordRefusal(async () => context.db, context.actor, error, {
        request: `server action ${name}`,
        objectIds: objectIdsOf(parsed.data),
      });
      return { ok: false, error: { ...toActionError(error), values: echoValues(formData) } };
    }
  };
}
