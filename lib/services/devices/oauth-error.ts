import type { z } from "zod";

/**
 * The OAuth error response (RFC 6749 §5.2, RFC 8628 §3.5): HTTP 400 with `{error, error_description}`.
 * The device endpoints answer with it instead of the API's `{"error":{"code","message"}}`, because
 * OAuth clients (cluster-tls login) read `error` as a string.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "authorization_pending"
  | "slow_down"
  | "access_denied"
  | "expired_token";

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export const isOAuthError = (value: unknown): value is OAuthError => value instanceof OAuthError;

/** An OAuth request's parameters checked against their schema; the first problem is an invalid_request (RFC 6749 §5.2). */
export function parseOAuthRequest<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new OAuthError("invalid_request", parsed.error.issues[0]?.message ?? "invalid request");
  return parsed.data;
}
