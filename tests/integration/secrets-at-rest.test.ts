import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db";
import type { DatabaseHandle } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { createWebhook } from "@/lib/services/webhooks/manage-webhooks";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { runAsPostgres } from "@/scripts/test-harness/run-as-postgres";

/**
 * Every kind of secret the product stores — CA keys (generated, imported, a pending CSR's),
 * server keys (single and bulk), webhook secrets — is written, then the raw storage is searched:
 * the PGlite data directory's files byte for byte, and a pg_dump of a real PostgreSQL.
 */
const key = parseMasterKey(Buffer.alloc(32, 3).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const MARKERS = ["PRIVATE KEY", "whsec_"];
const CANARY = "canary-6f2e9d";
let pg: PostgresServer;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-at-rest-"));
  pg = await startPostgres({ databases: ["ctls"] });
});
afterAll(async () => {
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes one of each secret through the services. */
async function storeEverySecret(handle: DatabaseHandle) {
  // A canary in a plain column proves the search would find text that is stored as is.
  await createCluster(handle.db, admin, key, { name: "generated", description: CANARY });
  await createCluster(handle.db, admin, key, { name: "pending", ca: "csr" });
  const imported = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "-",
      "-out",
      "-",
      "-days",
      "30",
      "-subj",
      "/CN=Imported Root",
    ],
    { encoding: "utf8" },
  ).stdout;
  const [privateKeyPem, certificatePem] = [
    imported.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/)![0],
    imported.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/)![0],
  ];
  await createCluster(handle.db, admin, key, {
    name: "imported",
    ca: "import",
    caCertificatePem: certificatePem,
    caPrivateKeyPem: privateKeyPem,
  });
  for (let i = 0; i < 30; i++)
    await addNode(handle.db, admin, keyRing, "generated", { hostname: `db${i}.example.internal`, role: "replica" });
  await bulkReissueNodes(handle.db, admin, keyRing, "generated");
  await issueClientBundle(handle.db, admin, keyRing, "generated", { databaseUser: "app" });
  const webhook = await createWebhook(handle.db, admin, key, "generated", {
    url: "https://hooks.example.com/x",
    events: ["certificate.issued"],
  });
  return { webhookSecret: webhook.secret };
}

function filesContaining(root: string, needle: string): string[] {
  const hits: string[] = [];
  const bytes = Buffer.from(needle);
  const visit = (entry: string) => {
    const stat = fs.statSync(entry);
    if (stat.isDirectory()) for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    else if (fs.readFileSync(entry).includes(bytes)) hits.push(path.relative(root, entry));
  };
  visit(root);
  return hits;
}

describe("secrets at rest", () => {
  it("PGlite: no data file holds a private key or a webhook secret in the clear", async () => {
    const dataDir = path.join(dir, "pglite");
    const handle = await openDatabase({ kind: "pglite", dataDir });
    const { webhookSecret } = await storeEverySecret(handle);
    await handle.db.execute("CHECKPOINT");
    await handle.close();
    expect(filesContaining(dataDir, CANARY)).not.toEqual([]);
    for (const marker of [...MARKERS, webhookSecret]) expect(filesContaining(dataDir, marker), marker).toEqual([]);
  });

  it("PostgreSQL: pg_dump of the database holds no private key or webhook secret", async () => {
    const handle = await openDatabase({ kind: "postgres", url: pg.url.replace(/\/postgres$/, "/ctls") });
    const { webhookSecret } = await storeEverySecret(handle);
    await handle.close();
    const dump = runAsPostgres("pg_dump", ["-h", pg.socketDir, "-p", String(pg.port), "ctls"]);
    expect(dump).toContain(CANARY);
    expect(dump).toContain("ctls1."); // the envelopes are there…
    for (const marker of [...MARKERS, webhookSecret]) expect(dump.includes(marker), marker).toBe(false); // …their contents are not
  });
});
