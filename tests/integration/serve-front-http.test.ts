import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killHard, launchApp, waitForHealth, type AppProcess } from "@/tests/support/app-process";

/**
 * What `npm start` (scripts/serve.mjs) does before Next.js sees a request. The admission gate, with
 * one slot and one queue place: a request whose body never arrives holds the slot, the next one
 * waits, the one after is refused with 503 + Retry-After, and the health check answers throughout.
 * And the warning for HTTPS behind a proxy while session cookies would not be Secure.
 */
const METRICS_TOKEN = "scrape-token-for-the-gate-test";
let dataDir: string;
let app: AppProcess;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-gate-"));
  app = await launchApp({
    CLUSTER_TLS_DATA_DIR: dataDir,
    CLUSTER_TLS_JOBS: "off",
    CLUSTER_TLS_MAX_IN_FLIGHT: "1",
    CLUSTER_TLS_MAX_QUEUED: "1",
    CLUSTER_TLS_LOG_LEVEL: "debug",
    CLUSTER_TLS_METRICS_TOKEN: METRICS_TOKEN,
  });
  expect(await waitForHealth(app), app.output()).toBe(200);
}, 240_000);

afterAll(() => {
  if (app) killHard(app);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A CLI command whose JSON body is announced but never sent: the handler waits for it, holding its slot. */
async function stalledRequest(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  const secret = fs.readFileSync(path.join(dataDir, "cli.secret"), "utf8").trim();
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(
    `POST /api/internal/cli HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${secret}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`,
  );
  return socket;
}

/** The gate's counts, as /api/health reports them. */
async function requestsNow(): Promise<{ running: number; queued: number; limit: number }> {
  const response = await fetch(`${app.url}/api/health`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { requests: { running: number; queued: number; limit: number } }).requests;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${timeoutMs} ms:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("admission gate", () => {
  it("queues what the slots cannot take, refuses beyond the queue with 503 + Retry-After, and never holds the health check or the metrics scrape", async () => {
    expect(await requestsNow()).toEqual({ running: 0, queued: 0, limit: 1 });
    const stalled = await stalledRequest(app.url);
    await until(async () => (await requestsNow()).running === 1);

    let queuedStatus: number | undefined;
    const queued = fetch(`${app.url}/sign-in`).then((response) => {
      queuedStatus = response.status;
      return response;
    });
    await until(async () => (await requestsNow()).queued === 1);
    expect(queuedStatus).toBeUndefined(); // waiting for the slot

    const refused = await fetch(`${app.url}/sign-in`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect(await refused.text()).toMatch(/busy; try again in a moment/);

    expect(await requestsNow()).toEqual({ running: 1, queued: 1, limit: 1 }); // the health check itself never waits
    const scrape = await fetch(`${app.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }); // nor does Prometheus
    expect(scrape.status).toBe(200);
    const metrics = await scrape.text();
    expect(metrics).toMatch(/^cluster_tls_http_requests_in_flight 1$/m);
    expect(metrics).toMatch(/^cluster_tls_http_requests_queued 1$/m);
    expect(metrics).toMatch(/^cluster_tls_http_requests_limit 1$/m);

    stalled.destroy(); // its client leaves: the slot goes to the queued request
    expect((await queued).status).toBe(200); // the first page of a fresh install: /setup, after a redirect
    expect(app.output()).toMatch(/\[http\] GET \/sign-in 503/);
    expect(app.output()).toMatch(/\[http\] POST \/api\/internal\/cli client left/);
  }, 30_000);
});

describe("start-up", () => {
  it("says it listens on every interface when no HOST or -H is given, with the addresses to open", () => {
    const port = new URL(app.url).port;
    expect(app.output()).toMatch(new RegExp(`\\[cluster-tls\\] listening on every interface, port ${port}: http://localhost:${port}\\b`));
  });
});

describe("HTTPS behind a proxy", () => {
  it("warns once when requests arrive over HTTPS but BETTER_AUTH_URL is not https (cookies would lack Secure)", async () => {
    const warning = "requests arrive over HTTPS (X-Forwarded-Proto) but BETTER_AUTH_URL is unset: session cookies are not marked Secure";
    const warnings = () => app.output().split(warning).length - 1;
    expect(warnings()).toBe(0);
    for (let i = 0; i < 3; i++)
      expect((await fetch(`${app.url}/api/health`, { headers: { "x-forwarded-proto": "https" } })).status).toBe(200);
    await until(async () => warnings() > 0);
    expect(warnings()).toBe(1);
  });
});
