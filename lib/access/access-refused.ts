import { AppError } from "@/lib/errors/app-error";
import type { Permission } from "./permissions";

/** What a refused actor tried: the permission and the object it was checked on. */
export type Refusal = { permission: Permission; clusterId?: string; databaseUser?: string };

/**
 * A permission check that said no. It carries the refusal so the request wrappers (apiHandler,
 * userAction, sessionDownload) can write the audit row once per refused request, after any
 * transaction it happened in has rolled back.
 */
export class AccessRefused extends AppError {
  constructor(
    code: "FORBIDDEN" | "NOT_FOUND",
    message: string,
    readonly refusal: Refusal,
  ) {
    super(code, message);
  }
}

/**
 * "Not found" for what the actor may not see (no existence leak); a refusal stays one, so it is
 * still audited. Anything else (no such row, not signed in) is a plain "not found".
 */
export function concealed(error: unknown, message: string): AppError {
  return error instanceof AccessRefused ? new AccessRefused("NOT_FOUND", message, error.refusal) : new AppError("NOT_FOUND", message);
}
