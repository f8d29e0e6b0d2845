/**
 * A one-line description of an unexpected error for operators. Drizzle wraps driver errors in a
 * "Failed query: … params: …" message that would echo row contents (encrypted keys included);
 * the driver's own message in `cause` says what went wrong without the data.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (error.message.startsWith("Failed query:") && cause instanceof Error) return `database error: ${cause.message}`;
  return error.message;
}
