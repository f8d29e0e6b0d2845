// Which pages may post to this app with the user's cookies (CSRF). Plain JS: `npm start`'s server
// (scripts/serve.mjs) refuses a cross-site form post with 403 before Next.js sees it, and form
// downloads (lib/api/session-download.ts) and Next's own server-action check (next.config.js)
// use the same rule, so a form and a download never disagree.

/** Origins besides the request's own host: both loopback names, BETTER_AUTH_URL, CLUSTER_TLS_TRUSTED_ORIGINS. */
export function trustedOrigins(env = process.env) {
  const port = env.PORT ?? "3000";
  const listed = [
    `http://localhost:${port}`,
    `http://127.0.0.1:${port}`,
    env.BETTER_AUTH_URL ?? "",
    ...(env.CLUSTER_TLS_TRUSTED_ORIGINS ?? "").split(","),
  ];
  return [
    ...new Set(
      listed
        .map((origin) => origin.trim())
        .filter((origin) => URL.canParse(origin))
        .map((origin) => new URL(origin).origin),
    ),
  ];
}

/** A CLUSTER_TLS_TRUSTED_ORIGINS entry that is not an origin (scheme://host[:port]), or null. */
export function invalidTrustedOrigin(env = process.env) {
  const entries = (env.CLUSTER_TLS_TRUSTED_ORIGINS ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return (
    entries.find(
      (entry) =>
        !URL.canParse(entry) ||
        !["http:", "https:"].includes(new URL(entry).protocol) ||
        new URL(entry).origin !== entry.replace(/\/$/, ""),
    ) ?? null
  );
}

/**
 * Whether a request that changes state comes from this app's pages. Browsers send Origin on every
 * POST (Fetch standard); "null" (sandboxed frames, some redirects) or none is refused. The
 * request's own host is the one the client addressed: X-Forwarded-Host (its first value) when a
 * proxy rewrote Host, as Next.js reads it — a cross-site page cannot set that header.
 */
export function isTrustedOrigin(headers, env = process.env) {
  const origin = headers.get("origin");
  if (!origin || !URL.canParse(origin)) return false;
  const url = new URL(origin);
  const addressed = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  return url.host === addressed || trustedOrigins(env).includes(url.origin);
}

/**
 * The origin the client addressed, for links handed back to it (the device login's
 * verification_uri): the same host rule as isTrustedOrigin, with the scheme from
 * X-Forwarded-Proto (first value) when a TLS-terminating proxy set it, else the request's own.
 */
export function requestOrigin(headers, fallbackProtocol = "http:") {
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "localhost";
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  const scheme = forwarded === "https" || forwarded === "http" ? forwarded : fallbackProtocol.replace(/:$/, "");
  return `${scheme}://${host}`;
}
