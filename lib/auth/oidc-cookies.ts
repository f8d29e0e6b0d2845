import "server-only";

/** The browser's half of an unfinished single sign-on: its `state`, sent back only to the callback. */
export const SSO_STATE_COOKIE = "cluster-tls.sso_state";
/** Why the last single sign-on was refused, for the sign-in page to show (set by our callback only). */
export const SSO_ERROR_COOKIE = "cluster-tls.sso_error";

const secure = () => process.env.BETTER_AUTH_URL?.startsWith("https://") ?? false;

/**
 * SameSite=Lax: the provider sends the browser back with a top-level GET, which carries Lax
 * cookies; a cross-site POST or subresource does not (RFC 6265bis §5.4.7).
 */
export function cookieAttributes(path: string, maxAgeSeconds: number) {
  return { httpOnly: true, sameSite: "lax" as const, secure: secure(), path, maxAge: maxAgeSeconds };
}

/** The origin the provider must send the browser back to: BETTER_AUTH_URL, else the one the request came in on. */
export function appOriginOf(requestUrl: string): string {
  const configured = process.env.BETTER_AUTH_URL;
  return configured && URL.canParse(configured) ? new URL(configured).origin : new URL(requestUrl).origin;
}

/** The refusal message the callback left for the sign-in page (Next.js encodes and decodes cookie values). */
export function readSsoError(value: string | undefined): string | undefined {
  return value ? value.slice(0, 600) : undefined;
}
