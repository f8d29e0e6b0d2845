import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { freePort } from "@/tests/support/app-process";
import { hasJdbc, jdbcQuery, nodePgQuery } from "@/tests/support/drivers";
import { unpackBundle } from "@/tests/support/unpack-bundle";

let dir: string;
let handle: DatabaseHandle;
let pg: PostgresServer | undefined;
let pgpool: ChildProcess | undefined;
let pgpoolLog = "";
const key = parseMasterKey(Buffer.alloc(32, 12).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const canRun = process.getuid?.() === 0 && fs.existsSync("/usr/sbin/pgpool");

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-pgpool-"));
  fs.chmodSync(dir, 0o755);
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
});
afterAll(async () => {
  // pgpool-II forks a child per connection slot: stop the whole process group, or orphans spin.
  if (pgpool?.pid) {
    try {
      process.kill(-pgpool.pid, "SIGINT");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      process.kill(-pgpool.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await pg?.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (command: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, PATH: "/usr/sbin:/usr/bin:/sbin:/bin", PGCONNECT_TIMEOUT: "5", ...env },
  });

describe.skipIf(!canRun)("pgpool-II in front of PostgreSQL with cluster-tls bundles (root + pgpool2)", () => {
  it("clients reach PostgreSQL through pgpool-II at verify-full with their certificate; pgpool logs in to PostgreSQL with scram over TLS", async () => {
    await createCluster(handle.db, admin, key, { name: "pooled", hbaAuthMode: "scram" });
    pg = await startPostgres({ users: ["app"] });
    pg.psql("ALTER ROLE app PASSWORD 'app-password'");
    const { node: database } = await addNode(handle.db, admin, keyRing, "pooled", {
      hostname: "localhost",
      role: "primary",
      port: pg.port,
    });
    const { node: pooler } = await addNode(handle.db, admin, keyRing, "pooled", {
      hostname: "pgpool.pooled.internal",
      role: "pgpool",
      ipAddresses: ["127.0.0.1"],
    });
    const client = unpackBundle((await issueClientBundle(handle.db, admin, keyRing, "pooled", { databaseUser: "app" })).zip, dir, "client");

    // PostgreSQL: TLS from its bundle; scram over hostssl only (pgpool-II cannot present a certificate).
    const primary = unpackBundle((await issueServerBundle(handle.db, admin, keyRing, database.id)).zip, dir, "primary");
    const read = (bundle: string, file: string) => fs.readFileSync(path.join(bundle, file), "utf8");
    expect(run(path.join(primary, "install.sh"), [pg.dataDir, "postgres"]).status).toBe(0);
    fs.appendFileSync(path.join(pg.dataDir, "postgresql.conf"), read(primary, "postgresql.conf.snippet"));
    pg.writeHba([
      "local all all trust",
      ...read(primary, "pg_hba.conf.snippet")
        .split("\n")
        .filter((l) => l && !l.startsWith("#")),
    ]);
    await pg.reload();

    // pgpool-II: its bundle installed into a config dir; the snippet completed with the backend.
    const bundle = unpackBundle((await issueServerBundle(handle.db, admin, keyRing, pooler.id)).zip, dir, "pgpool");
    expect(read(bundle, "README.md").replace(/\s+/g, " ")).toContain(
      "it cannot present a client certificate to PostgreSQL, and it does not check the backend's host name",
    );
    const etc = path.join(dir, "etc-pgpool");
    fs.mkdirSync(etc, { mode: 0o755 });
    expect(run(path.join(bundle, "install.sh"), [etc, "postgres"]).status).toBe(0);
    const port = await freePort();
    const conf = read(bundle, "pgpool.conf.snippet").replaceAll("/etc/pgpool2", etc);
    fs.writeFileSync(
      path.join(etc, "pgpool.conf"),
      `${conf}
listen_addresses = '127.0.0.1'
port = ${port}
socket_dir = '${etc}'
pcp_listen_addresses = ''
pcp_port = ${await freePort()}
pcp_socket_dir = '${etc}'
wd_ipc_socket_dir = '${etc}'
pid_file_name = '${etc}/pgpool.pid'
logdir = '${etc}'
backend_clustering_mode = 'raw'
backend_hostname0 = 'localhost'
backend_port0 = ${pg.port}
backend_weight0 = 1
backend_flag0 = 'ALWAYS_PRIMARY'
num_init_children = 2
max_pool = 1
health_check_period = 0
sr_check_period = 0
`,
    );
    fs.writeFileSync(path.join(etc, "pool_hba.conf"), read(bundle, "pool_hba.conf.snippet"));
    fs.writeFileSync(path.join(etc, "pool_passwd"), "app:TEXTapp-password\n", { mode: 0o600 });
    fs.writeFileSync(path.join(etc, "pcp.conf"), "");
    spawnSync("chown", ["-R", "postgres:postgres", etc]);
    pgpool = spawn(
      "runuser",
      [
        "-u",
        "postgres",
        "--",
        "/usr/sbin/pgpool",
        "-n",
        "-f",
        path.join(etc, "pgpool.conf"),
        "-F",
        path.join(etc, "pcp.conf"),
        "-a",
        path.join(etc, "pool_hba.conf"),
      ],
      { stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    pgpool.stdout!.on("data", (chunk: Buffer) => (pgpoolLog += chunk.toString()));
    pgpool.stderr!.on("data", (chunk: Buffer) => (pgpoolLog += chunk.toString()));
    const connect = (extra: string) =>
      run("psql", [
        "-X",
        "-A",
        "-t",
        `host=127.0.0.1 port=${port} dbname=postgres user=app sslmode=verify-full sslrootcert=${client}/root.crt ${extra}`,
        "-c",
        "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
      ]);
    let result = connect(`sslcert=${client}/client.crt sslkey=${client}/client.key`);
    for (let attempt = 0; attempt < 20 && result.status !== 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      result = connect(`sslcert=${client}/client.crt sslkey=${client}/client.key`);
    }
    // Seen from PostgreSQL: app's session, over TLS between pgpool-II and the backend.
    expect(`${result.stdout}${result.stderr}`.trim(), pgpoolLog.slice(-2000)).toBe("app|t");
    // node-postgres and pgJDBC through pgpool-II with the same bundle.
    const sql = "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    expect(await nodePgQuery({ host: "127.0.0.1", port, user: "app", bundleDir: client, sql })).toEqual([
      { current_user: "app", ssl: true },
    ]);
    if (hasJdbc()) {
      const url = `jdbc:postgresql://127.0.0.1:${port}/postgres?user=app&sslmode=verify-full&sslrootcert=${client}/root.crt&sslcert=${client}/client.crt&sslkey=${client}/client.pk8`;
      expect(jdbcQuery(url, sql)).toBe("app t");
    }
    // pgpool-II's own side: no client certificate, no login.
    const anonymous = connect("sslcert=/nonexistent sslkey=/nonexistent");
    expect(anonymous.status).not.toBe(0);
  }, 90_000);
});
