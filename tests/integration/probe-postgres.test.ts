import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { createRootCa, issueServerCertificate } from "@/lib/pki";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { probeNode } from "@/lib/services/nodes/probe-node";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { freePort } from "@/tests/support/app-process";

let dir: string;
let handle: DatabaseHandle;
let pg: PostgresServer | undefined;
const key = parseMasterKey(Buffer.alloc(32, 15).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-probe-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  await createCluster(handle.db, admin, key, { name: "orders-prod" });
});
afterAll(async () => {
  await pg?.stop();
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The node's active certificate and key, as its server bundle would install them. */
async function activeFiles(nodeId: string) {
  const [active] = await handle.db
    .select()
    .from(schema.certificates)
    .where(and(eq(schema.certificates.nodeId, nodeId), eq(schema.certificates.status, "active")));
  return { cert: active!.certificatePem, key: decryptSecret(active!.encryptedPrivateKey!, [key]).toString("utf8") };
}

describe("live TLS probe against a real PostgreSQL", () => {
  it("current after install; 'older — reload needed' after a re-issue; current after reload; foreign; unreachable", async () => {
    pg = await startPostgres();
    const { node } = await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "localhost", role: "primary", port: pg.port });
    const first = await activeFiles(node.id);
    pg.writeFile("server.crt", first.cert, { mode: 0o644 });
    pg.writeFile("server.key", first.key);
    fs.appendFileSync(path.join(pg.dataDir, "postgresql.conf"), "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
    await pg.reload();
    expect(await probeNode(handle.db, admin, node.id)).toMatchObject({ status: "current", served: { subject: "CN=localhost" } });

    await reissueNodeCertificate(handle.db, admin, keyRing, node.id);
    expect(await probeNode(handle.db, admin, node.id)).toMatchObject({
      status: "older",
      detail: expect.stringMatching(/superseded\): install the current bundle and reload PostgreSQL/),
    });

    const second = await activeFiles(node.id);
    pg.writeFile("server.crt", second.cert, { mode: 0o644 });
    pg.writeFile("server.key", second.key);
    await pg.reload();
    expect((await probeNode(handle.db, admin, node.id)).status).toBe("current");

    const stranger = await createRootCa({ subject: { CN: "Somebody Else CA" }, days: 30 });
    const foreign = await issueServerCertificate({ issuer: stranger, days: 30, dnsNames: ["localhost"], key: { generate: "ecdsa-p256" } });
    pg.writeFile("server.crt", foreign.certificatePem, { mode: 0o644 });
    pg.writeFile("server.key", foreign.privateKeyPem!);
    await pg.reload();
    expect(await probeNode(handle.db, admin, node.id)).toMatchObject({
      status: "foreign",
      detail: expect.stringContaining("issued by CN=Somebody Else CA"),
    });

    await createCluster(handle.db, admin, key, { name: "elsewhere" });
    const closed = await addNode(handle.db, admin, keyRing, "elsewhere", {
      hostname: "localhost",
      role: "replica",
      port: await freePort(),
    });
    expect(await probeNode(handle.db, admin, closed.node.id)).toMatchObject({
      status: "unreachable",
      detail: expect.stringMatching(/ECONNREFUSED/),
    });
  }, 60_000);
});
