import type { z } from "zod";
import { AppError } from "@/lib/errors/app-error";

/** zod issues as `{ field: [messages] }`, the shape forms render next to each input. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    (result[key] ??= []).push(issue.message);
  }
  return result;
}

/**
 * The AppError for a failed parse: the message names the field ("hostname: Not a valid host
 * name") so an API client knows what to fix; forms read `fieldErrors` and show each under its input.
 */
export function validationError(error: z.ZodError, fallback: string): AppError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join(".");
  const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : fallback;
  return new AppError("VALIDATION_FAILED", message, fieldErrorsOf(error));
}
