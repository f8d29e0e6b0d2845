// System software the test suites drive for real. On a fresh Debian machine (CI) it is installed
// with apt; elsewhere we say what is missing and let the suites report it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const REQUIREMENTS = [
  { what: "Chromium (Playwright e2e)", path: "/usr/bin/chromium", apt: "chromium" },
  { what: "PostgreSQL 15 server", path: "/usr/lib/postgresql/15/bin/postgres", apt: "postgresql-15" },
  { what: "OpenSSL CLI", path: "/usr/bin/openssl", apt: "openssl" },
  { what: "unzip (bundles are unzipped the way users do)", path: "/usr/bin/unzip", apt: "unzip" },
  { what: "PgBouncer (pooler bundles)", path: "/usr/sbin/pgbouncer", apt: "pgbouncer" },
  { what: "pgpool-II (pooler bundles)", path: "/usr/sbin/pgpool", apt: "pgpool2" },
  { what: "psycopg2 for Debian's python3 (driver check)", path: "/usr/lib/python3/dist-packages/psycopg2", apt: "python3-psycopg2" },
  { what: "pgJDBC (driver check)", path: "/usr/share/java/postgresql.jar", apt: "libpostgresql-jdbc-java" },
];

function hasApt() {
  return spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
}

export function ensureSystemPackages() {
  const missing = REQUIREMENTS.filter((r) => !fs.existsSync(r.path));
  if (missing.length === 0) return;
  const names = missing.map((r) => r.apt);
  if (!hasApt() || (process.getuid && process.getuid() !== 0)) {
    console.warn(`Missing: ${missing.map((r) => r.what).join(", ")}. Install with: apt-get install -y ${names.join(" ")}`);
    return;
  }
  console.log(`Installing ${names.join(", ")} with apt-get (missing: ${missing.map((r) => r.what).join(", ")})…`);
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env: aptEnv });
  const result = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...names], { stdio: "inherit", env: aptEnv });
  if (result.status !== 0) console.warn(`apt-get install ${names.join(" ")} failed; the suites that need them will fail.`);
}
