// Throughput of what every node and client polls — root.crt and the CRL — through the production
// server (`npm start`) with the embedded database, under autocannon on loopback (50 connections),
// beside the same server's GET /api/health as the in-process peer.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { and, eq, inArray } from "drizzle-orm";
import { openDatabase, schema } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { launchApp, waitForHealth } from "@/tests/support/app-process";
import { MASTER_KEY, seedFleet } from "./fleet";

const CONNECTIONS = 50;
const DURATION_S = 10;
const WARMUP_S = 2;

/**
 * The page benchmark's fleet (10,000 certificates), all issued by the cluster's CA and revoked, so
 * its CRL carries 10,000 entries; plus a read-only (auditor) token scoped to the cluster, minted before the
 * server starts because PGlite belongs to one process.
 */
async function seedRevokedFleet(dataDir: string) {
  const { clusterId } = await seedFleet({
    backend: "pglite",
    config: { kind: "pglite", dataDir: path.join(dataDir, "pglite") },
    appEnv: {},
    stop: async () => {},
  });
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  try {
    const { db } = handle;
    const { certificateAuthorities: cas, certificates } = schema;
    const [ca] = await db.select({ id: cas.id }).from(cas).where(eq(cas.clusterId, clusterId));
    await db
      .update(certificates)
      .set({ issuerCaId: ca!.id, status: "revoked", revokedAt: new Date(Date.now() - DAY_MS) })
      .where(and(eq(certificates.clusterId, clusterId), inArray(certificates.kind, ["server", "client"])));
    const crl = await db.transaction((tx) => regenerateCrl(tx, ca!.id, [parseMasterKey(MASTER_KEY, "bench")]));
    if (crl.entryCount !== 10_000) throw new Error(`expected 10,000 CRL entries, got ${crl.entryCount}`);
    const { token } = await createApiToken(
      db,
      { type: "cli", label: "bench" },
      { name: "bench poller", role: "auditor", clusters: [clusterId], days: 1 },
    );
    return { clusterId, token };
  } finally {
    await handle.close();
  }
}

/**
 * autocannon appends every body chunk to a JS string: for a 350 KB binary CRL that UTF-8 decoding
 * costs the load generator ~3 ms of CPU per response, on the same two cores as the server. A
 * poller writes the bytes to a file; framing and byte counts are unaffected (bodies are checked
 * once with fetch before each run).
 */
function skipBodyDecoding(client: autocannon.Client) {
  (client as unknown as { pipelinedRequests: { addBody: (chunk: Buffer) => void } }).pipelinedRequests.addBody = () => undefined;
}

type Load = { reqPerSec: number; p99Ms: number; errors: number; unexpected: number; bytesPerRequest: number };

/** One autocannon run; `unexpected` counts answers other than `status` (autocannon's non2xx counts 304s too). */
async function load(url: string, headers: Record<string, string>, seconds: number, status = 200): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers, setupClient: skipBodyDecoding });
  const total = Object.values(result.statusCodeStats ?? {}).reduce((sum, s) => sum + (s.count ?? 0), 0);
  const expected = result.statusCodeStats?.[`${status}`]?.count ?? 0;
  return {
    reqPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    unexpected: total - expected,
    bytesPerRequest: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
  };
}

/** The answer is what it claims before we time it: a real CRL with 10,000 entries, real certificates. */
async function checkAnswer(url: string, headers: Record<string, string>, expect: (body: Buffer) => boolean) {
  const response = await fetch(url, { headers });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200 || !expect(body)) throw new Error(`${url}: ${response.status}, unexpected body (${body.length} bytes)`);
  return response.headers.get("etag");
}

const crlEntries = (body: Buffer, form: "DER" | "PEM") =>
  (
    execFileSync("openssl", ["crl", "-inform", form, "-noout", "-text"], {
      input: body,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    }).match(/Serial Number:/g) ?? []
  ).length;

export type EndpointResult = Load & { endpoint: string; health: Load };

export async function endpointsLoadBenchmark(): Promise<EndpointResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-endpoints-"));
  try {
    const { clusterId, token } = await seedRevokedFleet(dataDir);
    const app = await launchApp({ CLUSTER_TLS_DATA_DIR: dataDir, CLUSTER_TLS_MASTER_KEY: MASTER_KEY, CLUSTER_TLS_JOBS: "off" });
    try {
      if ((await waitForHealth(app)) !== 200) throw new Error(`server did not start:\n${app.output()}`);
      const auth = { authorization: `Bearer ${token}` };
      const base = `${app.url}/api/v1/clusters/${clusterId}`;
      const targets: [string, string, (body: Buffer) => boolean][] = [
        ["GET root.crt", `${base}/root.crt`, (b) => b.toString().startsWith("-----BEGIN CERTIFICATE-----")],
        ["GET crl (DER, 10,000 entries)", `${base}/crl`, (b) => crlEntries(b, "DER") === 10_000],
        ["GET crl?format=pem (10,000 entries)", `${base}/crl?format=pem`, (b) => crlEntries(b, "PEM") === 10_000],
      ];
      await load(`${app.url}/api/health`, {}, WARMUP_S);
      const health = await load(`${app.url}/api/health`, {}, DURATION_S);
      const results: EndpointResult[] = [];
      for (const [endpoint, url, expect] of targets) {
        const etag = await checkAnswer(url, auth, expect);
        await load(url, auth, WARMUP_S);
        results.push({ endpoint, ...(await load(url, auth, DURATION_S)), health });
        // What a poller that keeps the last copy sends: the same URL with If-None-Match → 304, no body.
        if (etag)
          results.push({
            endpoint: `${endpoint}, If-None-Match → 304`,
            ...(await load(url, { ...auth, "if-none-match": etag }, DURATION_S, 304)),
            health,
          });
      }
      return results;
    } finally {
      await app.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
