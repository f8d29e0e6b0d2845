import { isAppError, type AppErrorCode } from "@/lib/errors/app-error";
import { describeError } from "@/lib/errors/describe-error";
import { isPkiError } from "@/lib/pki/errors";

export type ActionError = {
  code: AppErrorCode | "INTERNAL";
  message: string;
  fieldErrors?: Record<string, string[]>;
  /** What the user typed (never passwords), so the form can show it again: React resets forms after an action. */
  values?: Record<string, string>;
};

export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: ActionError };

/**
 * Maps a thrown error to something safe to show: our own errors keep their message (they are
 * written for users); anything else is logged server-side and shown generically, never with a stack.
 */
export function toActionError(error: unknown): ActionError {
  if (isAppError(error)) return { code: error.code, message: error.message, fieldErrors: error.fieldErrors };
  if (isPkiError(error)) return { code: "UNPROCESSABLE", message: error.message };
  console.error("[cluster-tls] unexpected error in a server action:", describeError(error));
  return { code: "INTERNAL", message: "Something went wrong on the server. The error was logged." };
}

/** Submitted text fields to echo back into a form after an error. Secrets are left out. */
export function echoValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || key.startsWith("$") || /password|secret|token|key/i.test(key)) continue;
    // A key pasted into the wrong box is not sent back into the page either.
    if (value.includes("PRIVATE KEY-----")) continue;
    // Repeated keys (a group of checkboxes) come back one per line.
    values[key] = key in values ? `${values[key]}\n${value}` : value;
  }
  return values;
}

/** A failed result for invalid input: field messages plus the echoed values. */
export function invalidInput(fieldErrors: Record<string, string[]>, formData: FormData): ActionResult<never> {
  return {
    ok: false,
    error: { code: "VALIDATION_FAILED", message: "Check the highlighted fields.", fieldErrors, values: echoValues(formData) },
  };
}
