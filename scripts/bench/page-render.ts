// Server render of the pages people open most, on a fleet of 1,000 nodes and 10,000
// certificates, through the production server (`npm start`) with the embedded database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { hashPassword } from "better-auth/crypto";
import { openDatabase, schema } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { createUser } from "@/lib/services/users/create-user";
import { certificateRow } from "@/tests/support/db-fixtures";
import { launchApp, waitForHealth } from "@/tests/support/app-process";

const NODES = 1_000;
const CLIENTS = 9_000;
const ADMIN = { email: "bench@example.com", password: "bench password 123" };
export const MASTER_KEY = Buffer.alloc(32, 9).toString("base64");

/** Seeds the fleet straight into a fresh data dir (the server is not running yet). */
export async function seedFleet(dataDir: string) {
  const key = parseMasterKey(MASTER_KEY, "bench");
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  const cli = { type: "cli", label: "bench" } as const;
  await createUser({ db: handle.db, actor: cli, input: { ...ADMIN, name: "Bench", role: "admin" }, hashPassword });
  const cluster = await createCluster(handle.db, cli, key, { name: "fleet-prod" });
  const now = Date.now();
  const nodes = await handle.db
    .insert(schema.nodes)
    .values(Array.from({ length: NODES }, (_, i) => ({ clusterId: cluster.id, hostname: `db${i}.fleet.internal`, role: i === 0 ? ("primary" as const) : ("replica" as const), ipAddresses: [`10.1.${i >> 8}.${i & 255}`] })))
    .returning({ id: schema.nodes.id, hostname: schema.nodes.hostname });
  const rows = [
    ...nodes.map((n, i) => certificateRow(cluster.id, { nodeId: n.id, commonName: n.hostname, dnsNames: [n.hostname], notBefore: new Date(now - 30 * DAY_MS), notAfter: new Date(now + (5 + (i % 397)) * DAY_MS) })),
    ...Array.from({ length: CLIENTS }, (_, i) =>
      certificateRow(cluster.id, { kind: "client", commonName: `app${i % 300}`, databaseUser: `app${i % 300}`, notBefore: new Date(now - 30 * DAY_MS), notAfter: new Date(now + (1 + (i % 365)) * DAY_MS) }),
    ),
  ];
  for (let i = 0; i < rows.length; i += 1_000) await handle.db.insert(schema.certificates).values(rows.slice(i, i + 1_000));
  await handle.close();
  return { clusterId: cluster.id, nodeId: nodes[0]!.id };
}

/** Signs in through the real sign-in page (Debian's Chromium) and returns the session cookie header. */
export async function signIn(url: string, account: { email: string; password: string } = ADMIN): Promise<string> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/sign-in`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
    return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

/** p50/p95 of sequential GETs (after warm-up), checking each answer is the page, not an error. */
async function latencies(url: string, cookie: string, runs: number, expect: string) {
  const once = async () => {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    const body = await response.text();
    if (response.status !== 200 || !body.includes(expect)) throw new Error(`${url}: ${response.status}, missing "${expect}"`);
    return performance.now() - started;
  };
  for (let i = 0; i < 3; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95) };
}

export type PageResult = { page: string; p50: number; p95: number; healthP95: number };

export async function pageRenderBenchmark(runs = 40): Promise<PageResult[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bench-pages-"));
  try {
    const { clusterId, nodeId } = await seedFleet(dataDir);
    const app = await launchApp({ CLUSTER_TLS_DATA_DIR: dataDir, CLUSTER_TLS_MASTER_KEY: MASTER_KEY, CLUSTER_TLS_JOBS: "off" });
    try {
      if ((await waitForHealth(app)) !== 200) throw new Error(`server did not start:\n${app.output()}`);
      const cookie = await signIn(app.url);
      const health = await latencies(`${app.url}/api/health`, "", runs, '"status":"ok"');
      const pages: [string, string, string][] = [
        ["Cluster page", `/clusters/${clusterId}`, "db100.fleet.internal"],
        ["Overview", "/", "Expiry timeline"],
        ["Certificates (page 1, filtered)", `/certificates?cluster=${clusterId}&status=expiring`, "Days left"],
        ["Node page", `/clusters/${clusterId}/nodes/${nodeId}`, "db0.fleet.internal"],
      ];
      const results: PageResult[] = [];
      for (const [page, route, expect] of pages) {
        const { p50, p95 } = await latencies(`${app.url}${route}`, cookie, runs, expect);
        results.push({ page, p50, p95, healthP95: health.p95 });
      }
      return results;
    } finally {
      await app.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
