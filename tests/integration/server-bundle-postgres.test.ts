import { spawnSync } from "node:child_process";
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

let dir: string;
let handle: DatabaseHandle;
let pg: PostgresServer | undefined;
const key = parseMasterKey(Buffer.alloc(32, 4).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bundle-pg-"));
  fs.chmodSync(dir, 0o755);
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
});
afterAll(async () => {
  await pg?.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function unzipTo(zip: Uint8Array, name: string): string {
  const target = path.join(dir, name);
  fs.mkdirSync(target);
  fs.chmodSync(target, 0o755);
  fs.writeFileSync(path.join(target, "bundle.zip"), zip);
  const result = spawnSync("unzip", ["-q", "bundle.zip"], { cwd: target, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return target;
}

describe.skipIf(!isRoot)("server bundle installed with its own install.sh (needs root to chown to postgres)", () => {
  it("turns a plain PostgreSQL into one that clients reach at verify-full with a client bundle", async () => {
    await createCluster(handle.db, admin, key, { name: "orders-prod", sharedDnsNames: ["localhost"] });
    const { node } = await addNode(handle.db, admin, keyRing, "orders-prod", {
      hostname: "db1.orders.internal",
      role: "primary",
      ipAddresses: ["127.0.0.1"],
    });
    const server = unzipTo((await issueServerBundle(handle.db, admin, keyRing, node.id)).zip, "server");
    const serverDir = path.join(server, "db1.orders.internal");
    expect(fs.statSync(path.join(serverDir, "server.key")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(serverDir, "install.sh")).mode & 0o777).toBe(0o755);

    pg = await startPostgres({ users: ["app"] });
    const install = spawnSync(path.join(serverDir, "install.sh"), [pg.dataDir, "postgres"], {
      encoding: "utf8",
      env: { ...process.env, PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
    });
    expect(install.status, install.stderr).toBe(0);
    expect(fs.statSync(path.join(pg.dataDir, "server.key")).mode & 0o777).toBe(0o600);
    // The operator's two manual steps: the conf snippet, and the hba snippet on top.
    fs.appendFileSync(path.join(pg.dataDir, "postgresql.conf"), fs.readFileSync(path.join(serverDir, "postgresql.conf.snippet"), "utf8"));
    pg.writeHba([
      "local all all trust",
      ...fs
        .readFileSync(path.join(serverDir, "pg_hba.conf.snippet"), "utf8")
        .split("\n")
        .filter((l) => l && !l.startsWith("#")),
    ]);
    await pg.reload();

    const client = unzipTo((await issueClientBundle(handle.db, admin, keyRing, "orders-prod", { databaseUser: "app" })).zip, "client");
    const clientDir = path.join(client, "orders-prod-app");
    const readme = fs.readFileSync(path.join(clientDir, "README.md"), "utf8");
    const conninfo = /psql "([^"]+)"/
      .exec(readme)![1]!
      .replace("DBNAME", "postgres")
      .replaceAll("$PWD", clientDir)
      .replace("port=5432", `port=${pg.port}`);
    const ok = spawnSync(
      "psql",
      ["-X", "-A", "-t", conninfo, "-c", "SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"],
      { encoding: "utf8" },
    );
    expect(`${ok.stdout}${ok.stderr}`.trim()).toBe("t|/CN=app");

    // hostnossl … reject: a plaintext login is refused.
    const plain = spawnSync(
      "psql",
      ["-X", "-A", "-t", `host=127.0.0.1 port=${pg.port} dbname=postgres user=app sslmode=disable`, "-c", "SELECT 1"],
      { encoding: "utf8" },
    );
    expect(plain.status).not.toBe(0);
    expect(plain.stderr).toMatch(/no encryption|reject/);
  });
});
