import fs from "node:fs";
import path from "node:path";
import type { AgentConfig } from "./config";
import { asOwner, runCommand } from "./run-as";

/** pg_ctl on PATH, or Debian's versioned PostgreSQL bin directories (newest first). */
function findPgCtl(): string {
  const debian = "/usr/lib/postgresql";
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((v) => path.join(debian, v, "bin", "pg_ctl")).find((file) => fs.existsSync(file)) ?? "pg_ctl";
}

/**
 * Asks the server to re-read its TLS files. Success here means only that the request was made:
 * PostgreSQL with a broken TLS file keeps the old certificate and only logs "SSL configuration
 * was not reloaded" — pg_ctl's exit status and pg_reload_conf() say nothing. The served
 * certificate (prove.ts) is the answer. pgpool-II does not re-read TLS files on reload: it needs
 * a `command:` that restarts it.
 */
export function reloadServer(config: AgentConfig): { ok: boolean; output: string } {
  const method = config.reload;
  if (method === "pg_ctl") return runCommand(...asOwner(config.owner, findPgCtl(), ["-D", config.dataDir, "reload", "-s"]));
  if (method === "sql" || method.startsWith("sql:"))
    return psqlAsOwner(config, method.slice("sql:".length), "postgres", "SELECT pg_reload_conf()");
  if (method === "sighup") return signalPostmaster(config);
  if (method === "pgbouncer-admin" || method.startsWith("pgbouncer-admin:"))
    return psqlAsOwner(config, method.slice("pgbouncer-admin:".length), "pgbouncer", "RELOAD");
  if (method.startsWith("command:")) return runCommand("/bin/sh", ["-c", method.slice("command:".length)]);
  return {
    ok: false,
    output: `unknown reload method ${JSON.stringify(method)} (pg_ctl, sql[:<conninfo>], sighup, pgbouncer-admin[:<conninfo>] or command:<shell command>)`,
  };
}

/** SIGHUP to the PID on the first line of postmaster.pid (PostgreSQL) or pgbouncer.pid in the data directory. */
function signalPostmaster(config: AgentConfig): { ok: boolean; output: string } {
  const pidFile = ["postmaster.pid", "pgbouncer.pid"].map((name) => path.join(config.dataDir, name)).find((file) => fs.existsSync(file));
  if (!pidFile) return { ok: false, output: `no postmaster.pid or pgbouncer.pid in ${config.dataDir}` };
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    process.kill(pid, "SIGHUP");
    return { ok: true, output: "" };
  } catch (error) {
    return { ok: false, output: `SIGHUP to ${pid}: ${(error as Error).message}` };
  }
}

/**
 * One statement through psql as the OS owner: `SELECT pg_reload_conf()` on PostgreSQL (`sql`), or
 * `RELOAD` on PgBouncer's admin console (`pgbouncer-admin`: the virtual database "pgbouncer"; the
 * owner must be in admin_users and allowed in, e.g. by a `local pgbouncer <owner> peer` hba line),
 * which re-reads its configuration and TLS files as on SIGHUP and says so when it cannot.
 * `conninfo` (libpq) says where the server listens; by default the Unix socket in
 * /var/run/postgresql on the port the agent verifies (not psql's default 5432).
 */
function psqlAsOwner(config: AgentConfig, conninfo: string, dbname: string, statement: string): { ok: boolean; output: string } {
  const port = config.verifyAddress.slice(config.verifyAddress.lastIndexOf(":") + 1);
  const target = `${conninfo.trim() || `host=/var/run/postgresql port=${port}`} dbname=${dbname}`;
  return runCommand(...asOwner(config.owner, "psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", target, "-c", statement]));
}
