import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { addNode } from "@/lib/services/nodes/add-node";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";
import { derToPem } from "@/lib/pki";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { unpackBundle } from "@/tests/support/unpack-bundle";

let dir: string;
let handle: DatabaseHandle;
const servers: PostgresServer[] = [];
const key = parseMasterKey(Buffer.alloc(32, 6).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-repl-"));
  fs.chmodSync(dir, 0o755);
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
});
afterAll(async () => {
  for (const server of servers.reverse()) await server.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const unpack = (zip: Uint8Array, name: string) => unpackBundle(zip, dir, name);

function install(bundleDir: string, dataDir: string) {
  const result = spawnSync(path.join(bundleDir, "install.sh"), [dataDir, "postgres"], {
    encoding: "utf8",
    env: { ...process.env, PATH: "/usr/sbin:/usr/bin:/sbin:/bin" },
  });
  expect(result.status, result.stderr).toBe(0);
  fs.appendFileSync(path.join(dataDir, "postgresql.conf"), fs.readFileSync(path.join(bundleDir, "postgresql.conf.snippet"), "utf8"));
}

const hbaLines = (bundleDir: string) =>
  fs
    .readFileSync(path.join(bundleDir, "pg_hba.conf.snippet"), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"));

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!isRoot)("streaming replication with cluster-tls bundles (needs root to chown to postgres)", () => {
  it("a replica streams from the primary with its bundle's replication certificate at verify-full; a revoked one cannot reconnect", async () => {
    await createCluster(handle.db, admin, key, { name: "repl" });
    const primary = await startPostgres();
    servers.push(primary);
    primary.psql("CREATE ROLE replicator LOGIN REPLICATION");
    // The primary answers on "localhost": that is the name in its certificate and in the replica's conninfo.
    const { node: primaryNode } = await addNode(handle.db, admin, keyRing, "repl", {
      hostname: "localhost",
      role: "primary",
      port: primary.port,
      ipAddresses: ["127.0.0.1"],
    });
    const primaryBundle = unpack((await issueServerBundle(handle.db, admin, keyRing, primaryNode.id)).zip, "primary");
    install(primaryBundle, primary.dataDir);
    primary.writeHba(["local all all trust", "local replication all trust", ...hbaLines(primaryBundle)]);
    await primary.reload();

    const { node: replicaNode } = await addNode(handle.db, admin, keyRing, "repl", {
      hostname: "replica1.repl.internal",
      role: "replica",
      ipAddresses: ["127.0.0.1"],
    });
    const replicaBundle = unpack((await issueServerBundle(handle.db, admin, keyRing, replicaNode.id)).zip, "replica");
    const snippet = fs.readFileSync(path.join(replicaBundle, "postgresql.conf.snippet"), "utf8");
    expect(snippet).toContain(`primary_conninfo = 'host=localhost port=${primary.port} user=replicator sslmode=verify-full`);
    expect(
      spawnSync("openssl", ["verify", "-CAfile", path.join(replicaBundle, "root.crt"), path.join(replicaBundle, "replication.crt")], {
        encoding: "utf8",
      }).stdout.trim(),
    ).toMatch(/OK$/);

    const replica = await startPostgres({
      baseBackupOf: primary,
      beforeStart: (dataDir) => {
        install(replicaBundle, dataDir);
        fs.writeFileSync(path.join(dataDir, "standby.signal"), "");
        spawnSync("chown", ["postgres:postgres", path.join(dataDir, "standby.signal")]);
      },
    });
    servers.push(replica);
    expect(replica.psql("SELECT pg_is_in_recovery()")).toBe("t");

    const streaming = await until(() => {
      const row = primary.psql(
        "SELECT r.state, s.ssl, s.client_dn FROM pg_stat_replication r JOIN pg_stat_ssl s USING (pid) WHERE r.application_name = 'replica1.repl.internal'",
      );
      return row.startsWith("streaming") ? row : undefined;
    }, "the replica to stream");
    expect(streaming).toBe("streaming|t|/CN=replicator");
    // Plaintext replication is refused (pg_hba's "all" does not cover replication: it has its own reject).
    const plain = spawnSync(
      "psql",
      ["-X", "-A", "-t", `host=127.0.0.1 port=${primary.port} user=replicator replication=true sslmode=disable`, "-c", "IDENTIFY_SYSTEM"],
      { encoding: "utf8" },
    );
    expect(plain.status).not.toBe(0);
    expect(plain.stderr).toMatch(/no encryption/);
    primary.psql("CREATE TABLE replicated AS SELECT 42 AS answer");
    expect(
      await until(
        () =>
          replica.psql("SELECT to_regclass('replicated') IS NOT NULL") === "t" ? replica.psql("SELECT answer FROM replicated") : undefined,
        "the table on the replica",
      ),
    ).toBe("42");

    // Revoke the replication certificate, install the new CRL on the primary, cut the connection.
    const serial = spawnSync("openssl", ["x509", "-in", path.join(replicaBundle, "replication.crt"), "-noout", "-serial"], {
      encoding: "utf8",
    })
      .stdout.trim()
      .replace("serial=", "");
    await revokeCertificate(handle.db, admin, keyRing, serial, "keyCompromise");
    primary.writeFile("root.crl", derToPem((await getCurrentCrl(handle.db, admin, "repl")).der, "X509 CRL"), { mode: 0o644 });
    await primary.reload();
    primary.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_replication");
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(primary.psql("SELECT count(*) FROM pg_stat_replication")).toBe("0");
    // The primary refuses the handshake; the replica is told why.
    expect(primary.logs()).toMatch(/could not accept SSL connection: certificate verify failed/);
    expect(replica.logs()).toMatch(/certificate revoked/);
  }, 120_000);
});
