// Bulk re-issue of a 1,000-node fleet (EC P-256), end to end: database writes, CRL update and
// audit rows included. In process on PGlite and on a real PostgreSQL 15 (event-loop blocks
// measured with monitorEventLoopDelay), and through the production server's API while
// /api/health is polled (what a user of the dashboard would feel meanwhile).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { DatabaseConfig } from "@/lib/config";
import { openDatabase, schema, type Database } from "@/lib/db";
import { parseMasterKey } from "@/lib/secrets/master-key";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { startPostgres } from "@/scripts/test-harness/postgres-server";
import { launchApp, waitForHealth } from "@/tests/support/app-process";
import { opensslLeafIssuer } from "./openssl-leaf";

const NODES = 1_000;
const MASTER_KEY = Buffer.alloc(32, 9).toString("base64");
const key = parseMasterKey(MASTER_KEY, "bench");
const keyRing: KeyRing = { current: key, all: [key], source: "bench" };
const cli = { type: "cli", label: "bench" } as const;

export type BulkResult = {
  backend: string;
  ms: number;
  /** Longest event-loop block and p99 delay during the run (monitorEventLoopDelay, 1 ms resolution). */
  maxBlockMs: number;
  p99DelayMs: number;
  peakRssMb: number;
};

/** A cluster with NODES nodes, each with a first certificate (made by the bulk path itself). */
async function seedFleet(db: Database): Promise<string[]> {
  const cluster = await createCluster(db, cli, key, { name: "fleet-prod", sharedDnsNames: ["pg-rw.fleet.internal"] });
  const nodes = await db
    .insert(schema.nodes)
    .values(
      Array.from({ length: NODES }, (_, i) => ({
        clusterId: cluster.id,
        hostname: `db${i}.fleet.internal`,
        role: "replica" as const,
        ipAddresses: [`10.1.${i >> 8}.${i & 255}`],
      })),
    )
    .returning({ id: schema.nodes.id });
  await bulkReissueNodes(db, cli, keyRing, "fleet-prod");
  return nodes.map((n) => n.id);
}

/** One measured bulk re-issue (revoking the previous certificates, so the CRL is re-signed too). */
async function measureBulk(db: Database, backend: string): Promise<BulkResult> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let peakRss = process.memoryUsage().rss;
  const rss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  delay.enable();
  const started = performance.now();
  const result = await bulkReissueNodes(db, cli, keyRing, "fleet-prod", { revokePrevious: true });
  const ms = performance.now() - started;
  delay.disable();
  clearInterval(rss);
  if (result.reissued !== NODES) throw new Error(`bulk re-issue: ${result.reissued}/${NODES} (${result.failed[0]?.error})`);
  return { backend, ms, maxBlockMs: delay.max / 1e6, p99DelayMs: delay.percentile(99) / 1e6, peakRssMb: peakRss / 1024 / 1024 };
}

/** Median (by time) of three bulk runs on a freshly seeded database of the given kind. */
export async function bulkInProcess(backend: "PGlite" | "PostgreSQL"): Promise<BulkResult & { singleMsPerNode: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-bulk-"));
  const pg = backend === "PostgreSQL" ? await startPostgres({ databases: ["bench"] }) : null;
  const config: DatabaseConfig = pg ? { kind: "postgres", url: pg.url.replace(/\/[^/]*$/, "/bench") } : { kind: "pglite", dataDir: dir };
  const handle = await openDatabase(config);
  try {
    const nodeIds = await seedFleet(handle.db);
    await measureBulk(handle.db, backend); // warm-up
    const runs = [await measureBulk(handle.db, backend), await measureBulk(handle.db, backend), await measureBulk(handle.db, backend)].sort(
      (a, b) => a.ms - b.ms,
    );
    // Before: the per-node path (one transaction and one CA load per node), on 100 nodes.
    const sample = nodeIds.slice(0, 100);
    const started = performance.now();
    for (const nodeId of sample) await reissueNodeCertificate(handle.db, cli, keyRing, nodeId);
    const singleMsPerNode = (performance.now() - started) / sample.length;
    return { ...runs[1]!, maxBlockMs: Math.max(...runs.map((r) => r.maxBlockMs)), singleMsPerNode };
  } finally {
    await handle.close();
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The OpenSSL CLI doing the same issuance per node (3 processes), 50 measured and scaled to NODES. */
export function opensslLoopMs(sample = 50): number {
  const openssl = opensslLeafIssuer("ec");
  try {
    openssl.issue();
    const started = performance.now();
    for (let i = 0; i < sample; i++) openssl.issue();
    return ((performance.now() - started) / sample) * NODES;
  } finally {
    openssl.cleanup();
  }
}

/**
 * The production server (PGlite) re-issues the fleet through `POST /api/v1/clusters/{c}/reissue`
 * while another client polls /api/health one request at a time: p99 of those health checks during
 * the bulk run, against the same server's health p99 at rest.
 */
export async function bulkThroughServer(): Promise<{ ms: number; healthP99: number; idleHealthP99: number; healthChecks: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-bulk-app-"));
  try {
    const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
    await seedFleet(handle.db);
    const { token } = await createApiToken(handle.db, cli, { name: "bench", role: "admin", clusters: [], days: 1 });
    await handle.close();
    const app = await launchApp({ CLUSTER_TLS_DATA_DIR: dataDir, CLUSTER_TLS_MASTER_KEY: MASTER_KEY, CLUSTER_TLS_JOBS: "off" });
    try {
      if ((await waitForHealth(app)) !== 200) throw new Error(`server did not start:\n${app.output()}`);
      const reissue = () =>
        fetch(`${app.url}/api/v1/clusters/fleet-prod/reissue`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ revokePrevious: true }),
        });
      await (await reissue()).text(); // warm-up: compiles the route, fills caches
      const idle = await pollHealth(app.url, () => new Promise((resolve) => setTimeout(resolve, 2_000)));
      let ms = 0;
      const busy = await pollHealth(app.url, async () => {
        const started = performance.now();
        const response = await reissue();
        const body = (await response.json()) as { reissued: number };
        ms = performance.now() - started;
        if (body.reissued !== NODES) throw new Error(`API bulk re-issue: ${JSON.stringify(body).slice(0, 300)}`);
      });
      return { ms, healthP99: busy.p99, idleHealthP99: idle.p99, healthChecks: busy.count };
    } finally {
      await app.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Sequential GET /api/health until `during` settles; p99 of their latencies. */
async function pollHealth(url: string, during: () => Promise<unknown>): Promise<{ p99: number; count: number }> {
  const times: number[] = [];
  let done = false;
  const poller = (async () => {
    while (!done) {
      const started = performance.now();
      const response = await fetch(`${url}/api/health`);
      await response.text();
      if (response.status !== 200) throw new Error(`/api/health answered ${response.status}`);
      times.push(performance.now() - started);
    }
  })();
  try {
    await during();
  } finally {
    done = true;
    await poller;
  }
  times.sort((a, b) => a - b);
  return { p99: times[Math.min(times.length - 1, Math.floor(0.99 * times.length))]!, count: times.length };
}
