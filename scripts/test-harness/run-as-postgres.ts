import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export function serverBin(name: "initdb" | "pg_ctl" | "postgres" | "pg_basebackup"): string {
  const file = path.join(PG_BIN, name);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} not found: install the PostgreSQL 15 server (apt-get install -y postgresql-15) or set PG_BIN`);
  }
  return file;
}

/** Runs a server command as the `postgres` OS user when we are root (PostgreSQL refuses root). */
export function runAsPostgres(command: string, args: string[], { asRoot = false } = {}): string {
  const isRoot = process.getuid?.() === 0;
  if (asRoot && !isRoot) return ""; // chown is only needed (and only possible) as root
  const [file, argv] = isRoot && !asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
