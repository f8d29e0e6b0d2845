"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/actions/action-result";

type FormAction<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/**
 * useActionState plus what every form reads from the result: field errors, the form-level
 * error (when no field is to blame), and the values to put back after React resets the form.
 */
export function useFormAction<T>(action: FormAction<T>) {
  const [state, formAction, pending] = useActionState(action, null);
  const error = state && !state.ok ? state.error : undefined;
  return {
    state,
    formAction,
    pending,
    fieldErrors: error?.fieldErrors,
    formError: error && !error.fieldErrors ? error.message : undefined,
    values: error?.values ?? {},
  };
}
