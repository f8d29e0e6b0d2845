/** @type {import('next').NextConfig} */
const nextConfig = {
  // Bundled PGlite fails at its first query ("path argument … Received an instance of URL").
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  reactStrictMode: true,
  // Migrations are read from ./drizzle at run time.
  outputFileTracingIncludes: { "/*": ["./drizzle/**/*"] },
};

export default nextConfig;
