// Server render of the pages people open most, on a fleet of 1,000 nodes and 10,000
// certificates, through the production server (`npm start`) on either database backend.
import { chromium } from "@playwright/test";
import { launchApp, waitForHealth } from "@/tests/support/app-process";
import { ADMIN, seedFleet, startFleetDatabase, type Backend } from "./fleet";

/** Signs in through the real sign-in page (Debian's Chromium) and returns the session cookie header. */
export async function signIn(url: string, account: { email: string; password: string } = ADMIN): Promise<string> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
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

export async function pageRenderBenchmark(backend: Backend, runs = 40): Promise<PageResult[]> {
  const database = await startFleetDatabase(backend);
  try {
    const { clusterId, nodeId } = await seedFleet(database);
    const app = await launchApp(database.appEnv);
    try {
      if ((await waitForHealth(app)) !== 200) throw new Error(`server did not start:\n${app.output()}`);
      const cookie = await signIn(app.url);
      const health = await latencies(`${app.url}/api/health`, "", runs, '"status":"ok"');
      const pages: [string, string, string][] = [
        ["Cluster page", `/clusters/${clusterId}`, "db100.fleet.internal"],
        // Host names sort bytewise (C collation on both): db999 is on page 20, the last.
        ["Cluster page, nodes page 20", `/clusters/${clusterId}?nodesPage=20`, "db999.fleet.internal"],
        ["Overview", "/", "Expiry timeline"],
        ["Certificates (page 1, filtered)", `/certificates?cluster=${clusterId}&status=expiring`, "Days left"],
        ["Certificates (page 1, no filter)", "/certificates", "Days left"],
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
    await database.stop();
  }
}
