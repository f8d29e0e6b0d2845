import { trustedOrigins } from "./lib/auth/request-origin.mjs";

// Next.js inlines its bootstrap scripts and styles, so 'unsafe-inline' stays for those; no other
// origin may serve scripts, be framed into, framed from, or receive form posts. Dev mode also
// needs eval (React's dev tooling).
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Bundled PGlite fails at its first query ("path argument … Received an instance of URL").
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Forms upload PEM: an external root's CRL can run to megabytes (the zod schemas cap each field).
  // Next.js checks a server action's Origin against Host / X-Forwarded-Host itself; it must also
  // accept the origins `npm start` lets through (lib/auth/request-origin.mjs), or answer them 500.
  // Read when the server starts, so the settings of that start apply.
  // authInterrupts: forbidden() answers a page a role may not see with 403 (app/forbidden.tsx).
  experimental: {
    serverActions: { bodySizeLimit: "16mb", allowedOrigins: trustedOrigins().map((origin) => new URL(origin).host) },
    authInterrupts: true,
  },
  // Migrations are read from ./drizzle at run time.
  outputFileTracingIncludes: { "/*": ["./drizzle/**/*"] },
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
