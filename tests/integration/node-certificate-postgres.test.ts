import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { unzipSync } from "fflate";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { derToPem } from "@/lib/pki";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
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
  it("gets a certificate PostgreSQL serves, and a client bundle connects at verify-full by host name, shared name and IP", async () => {
    const cluster = await createCluster(handle.db, admin, key, { name: "orders-prod", sharedDnsNames: ["localhost"] });
    const { node, certificate } = await addNode(handle.db, admin, keyRing, "orders-prod", {
      hostname: "db1.orders.internal",
      role: "primary",
      ipAddresses: ["127.0.0.1"],
    });
    expect(certificate.dnsNames).toEqual(["db1.orders.internal", "localhost"]);

    // The stored key is encrypted; decrypted, it belongs to the certificate.
    const [row] = await handle.db.select().from(schema.certificates).where(eq(schema.certificates.nodeId, node.id));
    expect(row!.encryptedPrivateKey).toMatch(/^ctls1\./);
    const serverKey = decryptSecret(row!.encryptedPrivateKey!, [key]).toString("utf8");

    // The client side comes from a real client bundle, unzipped the way a developer would.
    const bundle = await issueClientBundle(handle.db, admin, keyRing, "orders-prod", {
      databaseUser: "app",
      days: 30,
      p12Password: "s3cret-pw",
    });
    const unzipped = unzipSync(bundle.zip);
    const names = Object.keys(unzipped).sort();
    expect(names).toEqual(
      ["README.md", "client.crt", "client.key", "client.p12", "client.pk8", "root.crt"].map((n) => `orders-prod-app/${n}`).sort(),
    );
    const text = (name: string) => new TextDecoder().decode(unzipped[`orders-prod-app/${name}`]);
    expect(text("README.md")).toContain("sslmode=verify-full");
    const [stored] = await handle.db.select().from(schema.certificates).where(eq(schema.certificates.databaseUser, "app"));
    expect(stored).toMatchObject({ kind: "client", encryptedPrivateKey: null }); // the client key is never stored
    const [audit] = await handle.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "client_bundle.download"));
    expect(audit?.details).toMatchObject({ name: "app", serial: bundle.serialHex });
    const currentCrlPem = async () => derToPem((await getCurrentCrl(handle.db, admin, cluster.id)).der, "X509 CRL");
    pg = await startPostgres({
      tls: { cert: certificate.certificatePem, key: serverKey, ca: cluster.caCertificatePem!, crl: await currentCrlPem() },
      hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
      users: ["app"],
    });
    const files = fs.mkdtempSync(path.join(dir, "client-"));
    fs.writeFileSync(path.join(files, "bundle.zip"), bundle.zip);
    const unzip = spawnSync("unzip", ["-q", "bundle.zip"], { cwd: files });
    if (unzip.error) {
      // No unzip binary: write the files with the modes the zip records.
      for (const name of ["root.crt", "client.crt", "client.key"])
        fs.writeFileSync(path.join(files, "orders-prod-app", name), text(name), { mode: name.endsWith(".key") ? 0o600 : 0o644 });
    } else {
      expect(fs.statSync(path.join(files, "orders-prod-app", "client.key")).mode & 0o777).toBe(0o600);
    }
    const bundleDir = path.join(files, "orders-prod-app");
    const connect = (host: string, hostaddr = "127.0.0.1") =>
      spawnSync(
        "psql",
        [
          "-X",
          "-A",
          "-t",
          `host=${host} hostaddr=${hostaddr} port=${pg!.port} dbname=postgres user=app sslmode=verify-full sslrootcert=${bundleDir}/root.crt sslcert=${bundleDir}/client.crt sslkey=${bundleDir}/client.key`,
          "-c",
          "SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        ],
        { encoding: "utf8", env: { ...process.env, PGCONNECT_TIMEOUT: "5" } },
      );
    for (const host of ["db1.orders.internal", "localhost", "127.0.0.1"]) {
      const result = connect(host);
      expect(`${result.stdout}${result.stderr}`.trim(), host).toBe("/CN=app");
    }
    expect(connect("db9.orders.internal").status).not.toBe(0);

    // Revoke that client certificate, install the new CRL as a refresh would, reload: refused.
    const revoked = await revokeCertificate(
      handle.db,
      admin,
      keyRing,
      bundle.serialHex.toLowerCase().replace(/(..)(?=.)/g, "$1:"),
      "keyCompromise",
    );
    expect(revoked).toMatchObject({ status: "revoked", reason: "keyCompromise", crlNumber: 2 });
    pg.writeFile("root.crl", await currentCrlPem(), { mode: 0o644 });
    await pg.reload();
    const refused = connect("localhost");
    expect(refused.status).not.toBe(0);
    expect(`${refused.stdout}${refused.stderr}`).toMatch(/certificate revoked/i);
  });
});
