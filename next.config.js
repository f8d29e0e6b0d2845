/** @type {import('next').NextConfig} */
const nextConfig = {
  // Bundled PGlite fails at its first query ("path argument … Received an instance of URL").
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tests, scripts) with tsc; re-checking during the
  // build only slows `npm start` and lets a test-only type error block the server.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // Forms upload PEM: an external root's CRL can run to megabytes (the zod schemas cap each field).
  experimental: { serverActions: { bodySizeLimit: "16mb" } },
  // Migrations are read from ./drizzle at run time.
  outputFileTracingIncludes: { "/*": ["./drizzle/**/*"] },
};

export default nextConfig;
