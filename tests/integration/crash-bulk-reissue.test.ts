import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema } from "@/lib/db";
import { parseCrl } from "@/lib/pki";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { killHard, launchApp, waitForHealth, type AppProcess } from "@/tests/support/app-process";

/**
 * kill -9 of the production server (embedded PGlite) in the middle of a bulk re-issue that
 * revokes the previous certificates, then a restart on the same data directory: PGlite recovers,
 * every node still has exactly one active certificate with its key, every revoked certificate is
 * on the served CRL (revocation and CRL commit together), and running the bulk again finishes.
 */
const NODES = 1_000;
const MASTER_KEY = Buffer.alloc(32, 1).toString("base64");
const key = parseMasterKey(MASTER_KEY, "test");
const cli = { type: "cli", label: "test" } as const;
let dataDir: string;
let token: string;
let app: AppProcess | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-crash-"));
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  const cluster = await createCluster(handle.db, cli, key, { name: "fleet" });
  await handle.db
    .insert(schema.nodes)
    .values(
      Array.from({ length: NODES }, (_, i) => ({ clusterId: cluster.id, hostname: `db${i}.fleet.internal`, role: "replica" as const })),
    );
  await bulkReissueNodes(handle.db, cli, { current: key, all: [key], source: "test" }, "fleet");
  token = (await createApiToken(handle.db, cli, { name: "crash", role: "admin", clusters: [], days: 1 })).token;
  await handle.close();
}, 120_000);
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const start = async () => {
  const started = await launchApp({ CLUSTER_TLS_DATA_DIR: dataDir, CLUSTER_TLS_MASTER_KEY: MASTER_KEY, CLUSTER_TLS_JOBS: "off" });
  expect(await waitForHealth(started), started.output()).toBe(200);
  return started;
};
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${app!.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });
const serverCertificates = async () =>
  (
    (await (await api("/clusters/fleet/certificates")).json()) as {
      certificates: { serial: string; kind: string; status: string; nodeId?: string }[];
    }
  ).certificates.filter((c) => c.kind === "server");

describe("kill -9 during a bulk re-issue", () => {
  it("leaves a consistent database that the restarted server serves and finishes the work on", async () => {
    app = await start();
    const bulk = api("/clusters/fleet/reissue", { method: "POST", body: JSON.stringify({ revokePrevious: true }) }).catch(() => null);
    const deadline = Date.now() + 60_000;
    // Kill once some chunks committed (their revocations are on the CRL) but well before the end.
    const onCrl = async () => parseCrl(new Uint8Array(await (await api("/clusters/fleet/crl")).arrayBuffer())).entries.length;
    while ((await onCrl()) < 50) {
      if (Date.now() > deadline) throw new Error(`the bulk re-issue did not get going: ${app.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    killHard(app);
    await app.exited;
    await bulk;

    app = await start();
    const afterCrash = await serverCertificates();
    const revoked = afterCrash.filter((c) => c.status === "revoked");
    expect(revoked.length).toBeGreaterThanOrEqual(50);
    expect(revoked.length).toBeLessThan(NODES); // really interrupted
    const active = afterCrash.filter((c) => c.status === "active");
    expect(active).toHaveLength(NODES);
    expect(new Set(active.map((c) => c.nodeId)).size).toBe(NODES);
    // Every revocation that committed is on the CRL the server hands out.
    const crl = parseCrl(new Uint8Array(await (await api("/clusters/fleet/crl")).arrayBuffer()));
    const listed = new Set(crl.entries.map((e) => e.serialHex));
    expect(revoked.filter((c) => !listed.has(c.serial))).toEqual([]);

    const rerun = await api("/clusters/fleet/reissue", { method: "POST", body: JSON.stringify({ revokePrevious: true }) });
    expect(await rerun.json()).toEqual({ total: NODES, reissued: NODES, failed: [] });
    await app.stop();
    app = undefined;

    // Straight from the database: no active server certificate without its key.
    const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    try {
      const rows = await handle.db
        .select()
        .from(schema.certificates)
        .where(and(eq(schema.certificates.kind, "server"), eq(schema.certificates.status, "active")));
      expect(rows).toHaveLength(NODES);
      expect(rows.filter((r) => !r.encryptedPrivateKey)).toEqual([]);
      for (const row of await handle.db.select().from(schema.crls)) expect(() => parseCrl(row.der)).not.toThrow();
    } finally {
      await handle.close();
    }
  }, 240_000);
});
