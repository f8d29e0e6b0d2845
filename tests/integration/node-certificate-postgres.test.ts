import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { issueClientCertificate } from "@/lib/pki";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";

let dir: string;
let handle: DatabaseHandle;
let pg: PostgresServer | undefined;
const key = parseMasterKey(Buffer.alloc(32, 9).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-node-pg-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
});
afterAll(async () => {
  await pg?.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a node added through the service", () => {
  it("gets a certificate PostgreSQL serves and libpq verifies at verify-full by host name, shared name and IP", async () => {
    const cluster = await createCluster(handle.db, admin, key, { name: "orders-prod", sharedDnsNames: ["localhost"] });
    const { node, certificate } = await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "primary", ipAddresses: ["127.0.0.1"] });
    expect(certificate.dnsNames).toEqual(["db1.orders.internal", "localhost"]);

    // The stored key is encrypted; decrypted, it belongs to the certificate.
    const [row] = await handle.db.select().from(schema.certificates).where(eq(schema.certificates.nodeId, node.id));
    expect(row!.encryptedPrivateKey).toMatch(/^ctls1\./);
    const serverKey = decryptSecret(row!.encryptedPrivateKey!, [key]).toString("utf8");

    const { issuer } = await loadClusterIssuer(handle.db, cluster.id, [key]);
    const client = await issueClientCertificate({ issuer, days: 30, databaseUser: "app", key: { generate: "ecdsa-p256" } });
    pg = await startPostgres({
      tls: { cert: certificate.certificatePem, key: serverKey, ca: cluster.caCertificatePem },
      hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
      users: ["app"],
    });
    const files = fs.mkdtempSync(path.join(dir, "client-"));
    for (const [name, contents] of Object.entries({ "root.crt": cluster.caCertificatePem, "client.crt": client.certificatePem, "client.key": client.privateKeyPem! })) {
      fs.writeFileSync(path.join(files, name), contents, { mode: 0o600 });
    }
    const connect = (host: string, hostaddr = "127.0.0.1") =>
      spawnSync(
        "psql",
        ["-X", "-A", "-t", `host=${host} hostaddr=${hostaddr} port=${pg!.port} dbname=postgres user=app sslmode=verify-full sslrootcert=${files}/root.crt sslcert=${files}/client.crt sslkey=${files}/client.key`, "-c", "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"],
        { encoding: "utf8", env: { ...process.env, PGCONNECT_TIMEOUT: "5" } },
      );
    for (const host of ["db1.orders.internal", "localhost", "127.0.0.1"]) {
      const result = connect(host);
      expect(`${result.stdout}${result.stderr}`.trim(), host).toBe("/CN=app");
    }
    expect(connect("db9.orders.internal").status).not.toBe(0);
  });
});
