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
import { unpackBundle } from "@/tests/support/unpack-bundle";
import { freePort } from "@/tests/support/app-process";
import { hasJdbc, jdbcQuery, nodePgQuery } from "@/tests/support/drivers";

let dir: string;
let handle: DatabaseHandle;
let pg: PostgresServer | undefined;
let bouncer: ChildProcess | undefined;
const key = parseMasterKey(Buffer.alloc(32, 8).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const canRun = process.getuid?.() === 0 && fs.existsSync("/usr/sbin/pgbouncer");

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bouncer-"));
  fs.chmodSync(dir, 0o755);
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
});
afterAll(async () => {
  bouncer?.kill("SIGTERM");
  await pg?.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const unpack = (zip: Uint8Array, name: string) => unpackBundle(zip, dir, name);

const run = (command: string, args: string[]) =>
  spawnSync(command, args, { encoding: "utf8", env: { ...process.env, PATH: "/usr/sbin:/usr/bin:/sbin:/bin" } });
const read = (bundle: string, file: string) => fs.readFileSync(path.join(bundle, file), "utf8");

describe.skipIf(!canRun)("PgBouncer between clients and PostgreSQL, TLS on both sides from cluster-tls bundles (root + pgbouncer)", () => {
  it("a client reaches PostgreSQL through PgBouncer at verify-full; PgBouncer logs in with its own certificate mapped in pg_ident", async () => {
    await createCluster(handle.db, admin, key, { name: "pooled" });
    pg = await startPostgres({ users: ["app"] });
    const { node: database } = await addNode(handle.db, admin, keyRing, "pooled", {
      hostname: "localhost",
      role: "primary",
      port: pg.port,
    });
    const { node: pooler } = await addNode(handle.db, admin, keyRing, "pooled", {
      hostname: "pooler.pooled.internal",
      role: "pgbouncer",
      ipAddresses: ["127.0.0.1"],
    });
    const client = unpack((await issueClientBundle(handle.db, admin, keyRing, "pooled", { databaseUser: "app" })).zip, "client");

    // PostgreSQL: its bundle now carries map=cluster_tls and the pg_ident lines for PgBouncer.
    const primary = unpack((await issueServerBundle(handle.db, admin, keyRing, database.id)).zip, "primary");
    expect(read(primary, "pg_ident.conf.snippet")).toMatch(/cluster_tls\s+pgbouncer\s+app/);
    expect(run(path.join(primary, "install.sh"), [pg.dataDir, "postgres"]).status).toBe(0);
    fs.appendFileSync(path.join(pg.dataDir, "postgresql.conf"), read(primary, "postgresql.conf.snippet"));
    pg.writeFile("pg_ident.conf", read(primary, "pg_ident.conf.snippet"));
    pg.writeHba([
      "local all all trust",
      ...read(primary, "pg_hba.conf.snippet")
        .split("\n")
        .filter((l) => l && !l.startsWith("#")),
    ]);
    await pg.reload();

    // PgBouncer: its bundle installed into a config dir, the snippet completed as an operator would.
    const bundle = unpack((await issueServerBundle(handle.db, admin, keyRing, pooler.id)).zip, "pooler");
    const etc = path.join(dir, "etc-pgbouncer");
    fs.mkdirSync(etc, { mode: 0o755 });
    const installed = run(path.join(bundle, "install.sh"), [etc, "postgres"]);
    expect(installed.status, installed.stderr).toBe(0);
    expect(fs.statSync(path.join(etc, "pgbouncer-client.key")).mode & 0o777).toBe(0o600);
    const port = await freePort();
    fs.writeFileSync(path.join(etc, "userlist.txt"), '"app" ""\n');
    const ini = read(bundle, "pgbouncer.ini.snippet").replaceAll("/etc/pgbouncer", etc);
    fs.writeFileSync(
      path.join(etc, "pgbouncer.ini"),
      `[databases]\napp = host=localhost port=${pg.port} dbname=postgres\n\n${ini}\nlisten_addr = 127.0.0.1\nlisten_port = ${port}\nunix_socket_dir = ${etc}\nlogfile = ${etc}/pgbouncer.log\npidfile = ${etc}/pgbouncer.pid\n`,
    );
    spawnSync("chown", ["-R", "postgres:postgres", etc]);
    bouncer = spawn("runuser", ["-u", "postgres", "--", "/usr/sbin/pgbouncer", path.join(etc, "pgbouncer.ini")], { stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const conninfo = `host=127.0.0.1 port=${port} dbname=app user=app sslmode=verify-full sslrootcert=${client}/root.crt sslcert=${client}/client.crt sslkey=${client}/client.key`;
    const result = run("psql", [
      "-X",
      "-A",
      "-t",
      conninfo,
      "-c",
      "SELECT current_user, ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    ]);
    // Seen from PostgreSQL: the session is app's, over TLS, authenticated by PgBouncer's certificate.
    expect(`${result.stdout}${result.stderr}`.trim()).toBe("app|t|/CN=pgbouncer");

    // node-postgres and pgJDBC through PgBouncer with the same bundle, at verify-full to its IP SAN.
    const sql = "SELECT current_user, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
    expect(await nodePgQuery({ host: "127.0.0.1", port, user: "app", database: "app", bundleDir: client, sql })).toEqual([
      { current_user: "app", client_dn: "/CN=pgbouncer" },
    ]);
    if (hasJdbc()) {
      const url = `jdbc:postgresql://127.0.0.1:${port}/app?user=app&sslmode=verify-full&sslrootcert=${client}/root.crt&sslcert=${client}/client.crt&sslkey=${client}/client.pk8`;
      expect(jdbcQuery(url, sql)).toBe("app /CN=pgbouncer");
    }

    // Without a client certificate PgBouncer refuses the login (auth_type = cert).
    const anonymous = run("psql", [
      "-X",
      "-A",
      "-t",
      `host=127.0.0.1 port=${port} dbname=app user=app sslmode=verify-full sslrootcert=${client}/root.crt`,
      "-c",
      "SELECT 1",
    ]);
    expect(anonymous.status).not.toBe(0);

    // Direct clients are unaffected by the map: its regex line keeps "CN = role".
    const direct = run("psql", [
      "-X",
      "-A",
      "-t",
      conninfo.replace(`port=${port} dbname=app`, `port=${pg.port} dbname=postgres`).replace("host=127.0.0.1", "host=localhost"),
      "-c",
      "SELECT current_user, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
    ]);
    expect(`${direct.stdout}${direct.stderr}`.trim()).toBe("app|/CN=app");
  }, 90_000);
});
