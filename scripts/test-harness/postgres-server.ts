/**
 * Throwaway PostgreSQL 15 servers for tests: initdb in a temp dir, a free port on 127.0.0.1,
 * optional TLS files, and guaranteed clean-up (even when a test fails or the run is interrupted).
 * PostgreSQL refuses to run as root, so as root every server command runs as `postgres`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { runAsPostgres, serverBin } from "./run-as-postgres";
import { registerForCleanup, unregister } from "./cleanup";

export type TlsFiles = { cert: string; key: string; ca?: string; crl?: string };

export type StartPostgresOptions = {
  /** PEM contents; written into the data dir (key 0600, owned by postgres) and switched on. */
  tls?: TlsFiles;
  /** pg_hba.conf lines; default trusts local sockets and loopback TCP. */
  hba?: string[];
  /** pg_ident.conf content. */
  ident?: string;
  settings?: Record<string, string>;
  databases?: string[];
  users?: string[];
  /** Start as a copy of this server (pg_basebackup over its socket) instead of a fresh initdb. */
  baseBackupOf?: PostgresServer;
  /** Runs after the configuration is written and before the server starts (e.g. standby.signal). */
  beforeStart?: (dataDir: string) => void;
};

export type PostgresServer = {
  host: string;
  port: number;
  dataDir: string;
  socketDir: string;
  /** Superuser URL over TCP (no TLS unless hba demands it). */
  url: string;
  psql: (sql: string, options?: { db?: string; user?: string }) => string;
  writeFile: (relativePath: string, contents: string, options?: { mode?: number }) => void;
  writeHba: (lines: string[]) => void;
  reload: () => Promise<void>;
  logs: () => string;
  stop: () => Promise<void>;
};

const DEFAULT_HBA = ["local all all trust", "host all all 127.0.0.1/32 trust", "host all all ::1/128 trust"];

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-pg-"));
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  const owned = (file: string) => runAsPostgres("chown", ["postgres:postgres", file], { asRoot: true });
  owned(root);

  if (options.baseBackupOf) {
    const source = options.baseBackupOf;
    runAsPostgres(serverBin("pg_basebackup"), [
      "-h",
      source.socketDir,
      "-p",
      String(source.port),
      "-U",
      "postgres",
      "-D",
      dataDir,
      "-X",
      "stream",
      "--no-sync",
    ]);
  } else {
    runAsPostgres(serverBin("initdb"), [
      "-D",
      dataDir,
      "--auth=trust",
      "-U",
      "postgres",
      "--encoding=UTF8",
      "--no-sync",
      "--no-instructions",
    ]);
  }

  const writeFile = (relativePath: string, contents: string, { mode = 0o600 } = {}) => {
    const file = path.join(dataDir, relativePath);
    fs.writeFileSync(file, contents, { mode });
    fs.chmodSync(file, mode);
    owned(file);
  };
  const writeHba = (lines: string[]) => writeFile("pg_hba.conf", `${lines.join("\n")}\n`);
  writeHba(options.hba ?? DEFAULT_HBA);
  if (options.ident !== undefined) writeFile("pg_ident.conf", options.ident);

  const settings: Record<string, string> = {
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: `'${root}'`,
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    shared_buffers: "16MB",
    max_connections: "40",
    log_connections: "on",
    ...tlsSettings(options.tls, writeFile),
    ...options.settings,
  };
  fs.appendFileSync(
    path.join(dataDir, "postgresql.conf"),
    `\n# cluster-tls test harness\n${Object.entries(settings)
      .map(([k, v]) => `${k} = ${v}`)
      .join("\n")}\n`,
  );
  options.beforeStart?.(dataDir);

  const port = await startOnFreePort(dataDir, logFile, root);
  const server: PostgresServer = {
    host: "127.0.0.1",
    port,
    dataDir,
    socketDir: root,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    psql: (sql, { db = "postgres", user = "postgres" } = {}) =>
      execFileSync("psql", ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", root, "-p", String(port), "-U", user, "-d", db, "-c", sql], {
        encoding: "utf8",
      }).trim(),
    writeFile,
    writeHba,
    reload: async () => {
      runAsPostgres(serverBin("pg_ctl"), ["-D", dataDir, "reload", "-s"]);
      // pg_ctl reload only signals; wait until the postmaster has re-read its files.
      await waitFor(() => server.psql("SELECT count(*) FROM pg_file_settings WHERE error IS NOT NULL") === "0", 5_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
    logs: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""),
    stop: async () => {
      stopNow(dataDir, root);
      unregister(root);
    },
  };
  // A base-backup copy is a standby: it is read-only and already has the primary's roles.
  if (!options.baseBackupOf) {
    for (const user of options.users ?? []) server.psql(`CREATE ROLE "${user}" LOGIN`);
    for (const db of options.databases ?? []) server.psql(`CREATE DATABASE "${db}"`);
  }
  return server;
}

function tlsSettings(tls: TlsFiles | undefined, writeFile: (p: string, c: string, o?: { mode?: number }) => void): Record<string, string> {
  if (!tls) return {};
  writeFile("server.crt", tls.cert, { mode: 0o644 });
  writeFile("server.key", tls.key, { mode: 0o600 }); // PostgreSQL refuses a group/world-readable key
  const settings: Record<string, string> = { ssl: "on", ssl_cert_file: "'server.crt'", ssl_key_file: "'server.key'" };
  if (tls.ca) {
    writeFile("root.crt", tls.ca, { mode: 0o644 });
    settings.ssl_ca_file = "'root.crt'";
  }
  if (tls.crl) {
    writeFile("root.crl", tls.crl, { mode: 0o644 });
    settings.ssl_crl_file = "'root.crl'";
  }
  return settings;
}

async function startOnFreePort(dataDir: string, logFile: string, root: string): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    registerForCleanup(root, () => stopNow(dataDir, root));
    const result = spawnSync(
      ...runAsPostgresArgs(serverBin("pg_ctl"), ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", `-p ${port}`, "start"]),
      {
        encoding: "utf8",
      },
    );
    if (result.status === 0) return port;
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    if (!/could not bind|Address already in use/.test(log)) {
      stopNow(dataDir, root);
      unregister(root);
      throw new Error(
        `PostgreSQL did not start (pg_ctl exit ${result.status}): ${result.stderr}\n${log.split("\n").slice(-15).join("\n")}`,
      );
    }
  }
  throw new Error("PostgreSQL did not find a free port after 5 attempts");
}

function runAsPostgresArgs(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

/** Synchronous on purpose: it also runs from process 'exit' handlers. */
function stopNow(dataDir: string, root: string): void {
  if (fs.existsSync(path.join(dataDir, "postmaster.pid"))) {
    spawnSync(...runAsPostgresArgs(serverBin("pg_ctl"), ["-D", dataDir, "stop", "-m", "immediate", "-w", "-s"]), { stdio: "ignore" });
  }
  fs.rmSync(root, { recursive: true, force: true });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
