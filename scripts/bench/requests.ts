// Single API requests, one after another, through the production server (`npm start`): what an
// admin or a script pays per click or call (add a node, re-issue, a client bundle, a revocation),
// beside the OpenSSL CLI doing the same certificate work in the same run.
import fs from "node:fs";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import { openDatabase } from "@/lib/db";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { createUser } from "@/lib/services/users/create-user";
import { makeOpensslCa } from "@/scripts/test-harness/openssl-ca";
import { launchApp, waitForHealth } from "@/tests/support/app-process";
import { ADMIN, MASTER_KEY, startFleetDatabase, type Backend } from "./fleet";
import { opensslLeafIssuer } from "./openssl-leaf";

const RUNS = Number(process.env.REQUEST_RUNS ?? 200);
const WARMUP = 10;

export type Percentiles = { p50: number; p99: number; runs: number };
export type RequestResult = { request: string; ours: Percentiles; peer: string; peerMs: Percentiles };

function percentiles(times: number[]): Percentiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), runs: sorted.length };
}

/** Runs `task(i)` WARMUP times untimed, then `runs` times timed, one at a time. */
async function timed(runs: number, task: (i: number) => Promise<unknown> | unknown): Promise<Percentiles> {
  for (let i = 0; i < WARMUP; i++) await task(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task(i);
    times.push(performance.now() - started);
  }
  return percentiles(times);
}

/** An empty database with one admin, one cluster (EC P-256 CA) and an admin API token, seeded before the server opens it. */
async function seed(backend: Backend) {
  const database = await startFleetDatabase(backend);
  const handle = await openDatabase(database.config);
  try {
    const cli = { type: "cli", label: "bench" } as const;
    await createUser({ db: handle.db, actor: cli, input: { ...ADMIN, name: "Bench", role: "admin" }, hashPassword });
    const cluster = await createCluster(handle.db, cli, parseMasterKey(MASTER_KEY, "bench"), { name: "requests-bench" });
    const { token } = await createApiToken(handle.db, cli, { name: "bench admin", role: "admin", clusters: [], days: 1 });
    return { database, clusterId: cluster.id, token };
  } finally {
    await handle.close();
  }
}

/**
 * The OpenSSL CLI side of a revocation: mark the certificate revoked in `openssl ca`'s index (as
 * `ca -revoke` does, without its process) and re-sign the CRL with `ca -gencrl` (1 process).
 */
function opensslRevoker() {
  const ca = makeOpensslCa([]);
  let serial = 0x1000;
  return {
    revoke: () => {
      const revokedAt = new Date().toISOString().replace(/[-:T]/g, "").slice(2, 14);
      fs.appendFileSync(
        path.join(ca.dir, "index.txt"),
        `R\t491231235959Z\t${revokedAt}Z,superseded\t${(serial++).toString(16).toUpperCase()}\tunknown\t/CN=x\n`,
      );
      ca.gencrl();
    },
    cleanup: () => fs.rmSync(ca.dir, { recursive: true, force: true }),
  };
}

export async function requestsBenchmark(backend: Backend): Promise<RequestResult[]> {
  const { database, clusterId, token } = await seed(backend);
  const app = await launchApp(database.appEnv);
  try {
    if ((await waitForHealth(app)) !== 200) throw new Error(`server did not start:\n${app.output()}`);
    const call = async (method: string, url: string, body?: unknown, expected = 200) => {
      const response = await fetch(`${app.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const bytes = Buffer.from(await response.arrayBuffer());
      if (response.status !== expected) throw new Error(`${method} ${url}: ${response.status} ${bytes.toString("utf8").slice(0, 300)}`);
      return bytes;
    };
    const json = async (method: string, url: string, body?: unknown, expected = 200) =>
      JSON.parse((await call(method, url, body, expected)).toString("utf8"));

    const nodeIds: string[] = [];
    const addNode = await timed(RUNS, async (i) => {
      const node = await json(
        "POST",
        `/api/v1/clusters/${clusterId}/nodes`,
        { hostname: `db${i + 100}.bench.internal`, role: "replica", ipAddresses: ["10.0.0.5"] },
        201,
      );
      nodeIds.push(node.id);
    });
    const reissue = await timed(RUNS, (i) => json("POST", `/api/v1/nodes/${nodeIds[(i + nodeIds.length) % nodeIds.length]}/reissue`, {}));
    const clientBundle = await timed(RUNS, () =>
      call("POST", `/api/v1/clusters/${clusterId}/client-certificates`, { databaseUser: "app" }, 201),
    );
    const { certificates } = await json("GET", `/api/v1/clusters/${clusterId}/certificates`);
    const serials = (certificates as { serial: string; status: string; kind: string }[])
      .filter((c) => c.status === "active" && c.kind === "client")
      .map((c) => c.serial);
    const revokeRuns = Math.min(RUNS, serials.length - WARMUP);
    const revoke = await timed(revokeRuns, (i) =>
      json("POST", `/api/v1/certificates/${serials[i + WARMUP]}/revoke`, { reason: "superseded" }),
    );

    const leaf = opensslLeafIssuer("ec");
    const opensslLeaf = await timed(Math.min(RUNS, 50), leaf.issue);
    leaf.cleanup();
    const revoker = opensslRevoker();
    const opensslRevoke = await timed(Math.min(RUNS, 50), revoker.revoke);
    revoker.cleanup();

    const leafPeer = "openssl CLI leaf (keygen, CSR, sign: 3 processes)";
    return [
      {
        request: "POST /api/v1/clusters/{c}/nodes (add node: server certificate, EC P-256)",
        ours: addNode,
        peer: leafPeer,
        peerMs: opensslLeaf,
      },
      { request: "POST /api/v1/nodes/{n}/reissue", ours: reissue, peer: leafPeer, peerMs: opensslLeaf },
      {
        request: "POST /api/v1/clusters/{c}/client-certificates (client bundle zip)",
        ours: clientBundle,
        peer: leafPeer,
        peerMs: opensslLeaf,
      },
      {
        request: "POST /api/v1/certificates/{serial}/revoke (+ CRL re-signed)",
        ours: revoke,
        peer: "openssl ca -gencrl after marking the index (1 process)",
        peerMs: opensslRevoke,
      },
    ];
  } finally {
    await app.stop();
    await database.stop();
  }
}
