import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { makeOpensslPki } from "./openssl-fixtures";
import { startPostgres, type PostgresServer } from "./postgres-server";

const started: PostgresServer[] = [];
afterAll(async () => {
  for (const server of started) await server.stop();
});

async function start(...args: Parameters<typeof startPostgres>) {
  const server = await startPostgres(...args);
  started.push(server);
  return server;
}

/** psql over TCP with libpq's own TLS options; returns exit status and output. */
function psqlTls(server: PostgresServer, conninfo: string, sql: string) {
  const result = spawnSync("psql", ["-X", "-A", "-t", `host=localhost port=${server.port} dbname=postgres ${conninfo}`, "-c", sql], {
    encoding: "utf8",
    env: { ...process.env, PGCONNECT_TIMEOUT: "5" },
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}`.trim() };
}

describe("throwaway PostgreSQL 15 server", () => {
  it("starts on a free port, applies settings, and serves queries over TCP", async () => {
    const t0 = performance.now();
    const server = await start({ settings: { work_mem: "'8MB'" }, users: ["alice"], databases: ["app"] });
    const startupMs = performance.now() - t0;
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ version: string }>("SELECT version()");
    await client.end();
    expect(rows[0]!.version).toMatch(/^PostgreSQL 15\./);
    expect(server.psql("SHOW fsync")).toBe("off");
    expect(server.psql("SHOW work_mem")).toBe("8MB");
    expect(server.psql("SELECT rolname FROM pg_roles WHERE rolname = 'alice'")).toBe("alice");
    expect(server.psql("SELECT current_database()", { db: "app" })).toBe("app");
    console.log(`[harness] PostgreSQL start-up took ${Math.round(startupMs)} ms`);
  });

  it("runs two servers at once and removes each directory on stop (idempotently)", async () => {
    const [a, b] = await Promise.all([startPostgres(), startPostgres()]);
    expect(a!.port).not.toBe(b!.port);
    await a!.stop();
    await a!.stop();
    expect(fs.existsSync(a!.socketDir)).toBe(false);
    expect(b!.psql("SELECT 1")).toBe("1");
    await b!.stop();
    expect(fs.existsSync(b!.dataDir)).toBe(false);
  });

  it("serves TLS with client-certificate auth, and reload() applies a new pg_hba.conf", async () => {
    const pki = makeOpensslPki("alice");
    const server = await start({
      tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca },
      hba: ["local all all trust", "hostssl all alice 127.0.0.1/32 cert", "hostssl all alice ::1/128 cert"],
      users: ["alice"],
    });
    const tls = `user=alice sslmode=verify-full sslrootcert=${pki.dir}/ca.crt sslcert=${pki.dir}/client.crt sslkey=${pki.dir}/client.key`;
    const ok = psqlTls(server, tls, "SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    expect(ok.out).toBe("t|/CN=alice");
    expect(ok.status).toBe(0);

    const noCert = psqlTls(
      server,
      `user=alice sslmode=verify-full sslrootcert=${pki.dir}/ca.crt sslcert=/dev/null sslkey=/dev/null`,
      "SELECT 1",
    );
    expect(noCert.status).not.toBe(0);
    expect(noCert.out).toMatch(/certificate/i);

    server.writeHba(["local all all trust", "hostssl all alice 127.0.0.1/32 reject", "hostssl all alice ::1/128 reject"]);
    await server.reload();
    const refused = psqlTls(server, tls, "SELECT 1");
    expect(refused.status).not.toBe(0);
    expect(refused.out).toMatch(/pg_hba\.conf rejects connection/);
    fs.rmSync(pki.dir, { recursive: true, force: true });
  });

  it("leaves nothing behind when the test process is interrupted", async () => {
    const script = `
      import { startPostgres } from ${JSON.stringify(path.join(import.meta.dirname, "postgres-server.ts"))};
      const server = await startPostgres();
      console.log(JSON.stringify({ root: server.socketDir, port: server.port }));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const line = await new Promise<string>((resolve) => child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString())));
    const { root, port } = JSON.parse(line) as { root: string; port: number };
    expect(fs.existsSync(path.join(root, "data", "postmaster.pid"))).toBe(true);
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(fs.existsSync(root)).toBe(false);
    const stillRunning = spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", String(port)]);
    expect(stillRunning.status).not.toBe(0);
  });
});
