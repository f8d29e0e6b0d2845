// `npm run bench -- load [pglite|postgres]`: 60 s of 200 concurrent readers (pages with a session, API GETs with a
// token) and 20 concurrent issuers (client bundles, node re-issues) against the production server
// on loopback. Reports per-route p99, errors, and the server's memory trend (is RSS still growing?).
// LOAD_INSTANCES=<n> (PostgreSQL only) starts n servers on the one database and spreads the clients
// over them; RSS is their sum. Diagnostics: LOAD_SECONDS=<n> runs longer (does RSS level off?); LOAD_ROUTES=<prefix> keeps only the read routes whose name starts with it (e.g.
// "page: cluster", "api"); LOAD_APP_LOG=<file> writes the server's output there afterwards (with
// NODE_OPTIONS=--max-old-space-size=N, a heap that keeps growing ends in an OOM in that log).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import { openDatabase, schema } from "@/lib/db";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { createUser } from "@/lib/services/users/create-user";
import type { DatabaseConfig } from "@/lib/config";
import { startPostgres } from "@/scripts/test-harness/postgres-server";
import { launchApp, waitForHealth } from "@/tests/support/app-process";
import { signIn } from "./page-render";

const MASTER_KEY = Buffer.alloc(32, 7).toString("base64");
const AUTH_SECRET = Buffer.alloc(32, 8).toString("base64");
const ADMIN = { email: "load@example.com", password: "load password 123" };
const NODES = 200;

export type LoadResult = {
  seconds: number;
  routes: { route: string; requests: number; errors: number; p50: number; p99: number }[];
  errors: number;
  rssStartMb: number;
  rssEndMb: number;
  /** Slope of RSS over the second half of the run, MB per minute (≈ 0: no growth trend). */
  rssSlopeMbPerMin: number;
  /** RSS every 10 s, MB: where it levels off. */
  rssEvery10s: number[];
};

async function seed(config: DatabaseConfig) {
  const key = parseMasterKey(MASTER_KEY, "bench");
  const handle = await openDatabase(config);
  const cli = { type: "cli", label: "bench" } as const;
  await createUser({ db: handle.db, actor: cli, input: { ...ADMIN, name: "Load", role: "admin" }, hashPassword });
  const cluster = await createCluster(handle.db, cli, key, { name: "load-prod" });
  const nodes = await handle.db
    .insert(schema.nodes)
    .values(
      Array.from({ length: NODES }, (_, i) => ({ clusterId: cluster.id, hostname: `db${i}.load.internal`, role: "replica" as const })),
    )
    .returning({ id: schema.nodes.id });
  await bulkReissueNodes(handle.db, cli, { current: key, all: [key], source: "bench" }, "load-prod");
  const { token } = await createApiToken(handle.db, cli, { name: "load", role: "admin", clusters: [], days: 1 });
  await handle.close();
  return { clusterId: cluster.id, nodeIds: nodes.map((n) => n.id), token };
}

/** The server process's resident set (the Next.js server is a descendant of `npm start`'s script). */
function serverRssMb(rootPid: number): number {
  const pids = [rootPid];
  for (let i = 0; i < pids.length; i++) {
    for (const entry of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pids[i]) pids.push(Number(entry));
      } catch {
        // exited meanwhile
      }
    }
  }
  return pids.reduce((sum, pid) => {
    try {
      return sum + Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
    } catch {
      return sum;
    }
  }, 0);
}

export async function loadBenchmark(
  backend: "pglite" | "postgres" = "pglite",
  seconds = 60,
  readers = 200,
  issuers = 20,
): Promise<LoadResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-load-"));
  const pg = backend === "postgres" ? await startPostgres({ databases: ["load"], settings: { max_connections: "100" } }) : null;
  const url = pg?.url.replace(/\/postgres$/, "/load");
  try {
    const { clusterId, nodeIds, token } = await seed(
      url ? { kind: "postgres", url } : { kind: "pglite", dataDir: path.join(dataDir, "pglite") },
    );
    const instances = Math.max(1, Number(process.env.LOAD_INSTANCES ?? 1));
    if (instances > 1 && !url) throw new Error("LOAD_INSTANCES needs the postgres backend: PGlite belongs to one process");
    // One session secret for all, so a signed-in cookie works on any of them (as behind a load balancer).
    const apps = await Promise.all(
      Array.from({ length: instances }, (_, i) => {
        const instanceDir = i === 0 ? dataDir : path.join(dataDir, `instance-${i}`);
        return launchApp({
          CLUSTER_TLS_DATA_DIR: instanceDir,
          CLUSTER_TLS_MASTER_KEY: MASTER_KEY,
          BETTER_AUTH_SECRET: AUTH_SECRET,
          CLUSTER_TLS_JOBS: "off",
          ...(url ? { DATABASE_URL: url } : {}),
        });
      }),
    );
    try {
      for (const app of apps) if ((await waitForHealth(app)) !== 200) throw new Error(`server did not start:\n${app.output()}`);
      const cookie = await signIn(apps[0]!.url, ADMIN);
      const bearer = { authorization: `Bearer ${token}`, "content-type": "application/json" };
      type Route = [string, (base: string) => Promise<Response>];
      const readRoutes: Route[] = [
        ["page: cluster", (base) => fetch(`${base}/clusters/${clusterId}`, { headers: { cookie } })],
        ["page: overview", (base) => fetch(`${base}/`, { headers: { cookie } })],
        ["page: certificates", (base) => fetch(`${base}/certificates`, { headers: { cookie } })],
        ["api: certificates", (base) => fetch(`${base}/api/v1/clusters/load-prod/certificates`, { headers: bearer })],
        ["api: root.crt", (base) => fetch(`${base}/api/v1/clusters/load-prod/root.crt`, { headers: bearer })],
        ["api: crl", (base) => fetch(`${base}/api/v1/clusters/load-prod/crl`, { headers: bearer })],
      ];
      const onlyRoutes = process.env.LOAD_ROUTES;
      if (onlyRoutes) readRoutes.splice(0, readRoutes.length, ...readRoutes.filter(([name]) => name.startsWith(onlyRoutes)));
      let n = 0;
      const writeRoutes: Route[] = [
        [
          "issue: client bundle",
          (base) =>
            fetch(`${base}/api/v1/clusters/load-prod/client-certificates`, {
              method: "POST",
              headers: bearer,
              body: JSON.stringify({ databaseUser: `user${n++ % 50}`, days: 30 }),
            }),
        ],
        [
          "issue: node re-issue",
          (base) => fetch(`${base}/api/v1/nodes/${nodeIds[n++ % nodeIds.length]}/reissue`, { method: "POST", headers: bearer, body: "{}" }),
        ],
      ];
      const stats = new Map<string, { times: number[]; errors: number }>();
      const deadline = performance.now() + seconds * 1000;
      const worker = (routes: Route[], offset: number) => async () => {
        const base = apps[offset % apps.length]!.url;
        for (let i = offset; performance.now() < deadline; i++) {
          const [route, request] = routes[i % routes.length]!;
          const entry = stats.get(route) ?? { times: [], errors: 0 };
          stats.set(route, entry);
          const started = performance.now();
          try {
            const response = await request(base);
            await response.arrayBuffer();
            if (response.status >= 400) entry.errors++;
          } catch {
            entry.errors++;
          }
          entry.times.push(performance.now() - started);
        }
      };
      const rss: [number, number][] = [];
      const sampler = setInterval(
        () => rss.push([performance.now(), apps.reduce((sum, app) => sum + serverRssMb(app.child.pid!), 0)]),
        1000,
      );
      const started = performance.now();
      await Promise.all([
        ...Array.from({ length: readers }, (_, i) => worker(readRoutes, i)()),
        ...Array.from({ length: issuers }, (_, i) => worker(writeRoutes, i)()),
      ]);
      clearInterval(sampler);
      const at = (times: number[], q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
      const routes = [...stats].map(([route, { times, errors }]) => {
        times.sort((a, b) => a - b);
        return { route, requests: times.length, errors, p50: at(times, 0.5), p99: at(times, 0.99) };
      });
      const half = rss.slice(Math.floor(rss.length / 2));
      return {
        seconds: (performance.now() - started) / 1000,
        routes,
        errors: routes.reduce((sum, r) => sum + r.errors, 0),
        rssStartMb: rss[0]?.[1] ?? 0,
        rssEndMb: rss.at(-1)?.[1] ?? 0,
        rssSlopeMbPerMin: slope(half) * 60_000,
        rssEvery10s: rss.filter((_, i) => i % 10 === 0).map(([, mb]) => Math.round(mb)),
      };
    } finally {
      await Promise.all(apps.map((app) => app.stop()));
      if (process.env.LOAD_APP_LOG) fs.writeFileSync(process.env.LOAD_APP_LOG, apps.map((app) => app.output()).join("\n"));
    }
  } finally {
    await pg?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}
