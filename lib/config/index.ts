import path from "node:path";
import { ConfigError } from "./errors";

export { ConfigError } from "./errors";

type Env = Record<string, string | undefined>;

export type DatabaseConfig = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

export type AppConfig = {
  /** Where the master key, the auth secret and (by default) the embedded database live. */
  dataDir: string;
  database: DatabaseConfig;
  /** Base64 master key from the environment, or null to use `<dataDir>/master.key`. */
  masterKeyBase64: string | null;
};

/**
 * Reads the environment once. Paths are built from process.cwd() with a turbopackIgnore hint:
 * Turbopack cannot resolve a computed path.resolve(env) statically, so it traces the whole project
 * into the server bundle.
 */
export function readConfig(env: Env = process.env): AppConfig {
  const cwd = process.cwd();
  const dataDir = env.CLUSTER_TLS_DATA_DIR
    ? path.resolve(/*turbopackIgnore: true*/ cwd, env.CLUSTER_TLS_DATA_DIR)
    : path.join(/*turbopackIgnore: true*/ cwd, "data");

  return {
    dataDir,
    database: readDatabaseConfig(env, dataDir),
    masterKeyBase64: env.CLUSTER_TLS_MASTER_KEY?.trim() || null,
  };
}

function readDatabaseConfig(env: Env, dataDir: string): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) {
    const pgliteDir = env.CLUSTER_TLS_PGLITE_DIR
      ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), env.CLUSTER_TLS_PGLITE_DIR)
      : path.join(dataDir, "pglite");
    return { kind: "pglite", dataDir: pgliteDir };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`);
  }
  return { kind: "postgres", url };
}

/** The URL without its password, for logs and the health endpoint. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "pglite") return `embedded PGlite at ${config.dataDir}`;
  const url = new URL(config.url);
  if (url.password) url.password = "****";
  return `PostgreSQL at ${url.host}${url.pathname}`;
}
