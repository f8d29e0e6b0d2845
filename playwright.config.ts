import fs from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { STORAGE_STATE } from "./e2e/support/accounts";

const PORT = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${PORT}`;
// The OpenID Provider e2e/sso.flow.spec.ts starts on loopback (tests/support/oidc-provider.ts).
export const SSO = {
  port: Number(process.env.E2E_OIDC_PORT ?? PORT + 1),
  clientId: "cluster-tls-e2e",
  clientSecret: "e2e-client-secret-not-a-real-one",
  groupMap: { "pki-admins": { role: "admin" }, "orders-devs": { role: "developer", clusters: { "orders-prod": ["app_rw", "reporting"] } } },
};
// A data directory of its own, emptied by scripts/test.mjs before each run.
// E2E_DATA_DIR lets a second checkout or a helper run the suite beside another one.
const dataDir = process.env.E2E_DATA_DIR ?? path.join(import.meta.dirname, ".tmp", "e2e-data");
const serverLog = path.join(path.dirname(dataDir), "e2e-server.log");
// tee opens the log before the server creates .tmp/ (a fresh clone has none).
fs.mkdirSync(path.dirname(serverLog), { recursive: true });

const browser = {
  ...devices["Desktop Chrome"],
  viewport: { width: 1366, height: 800 }, // a common laptop width
  launchOptions: {
    // Debian's Chromium: Playwright's own browser download is not reachable offline.
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  },
};

export default defineConfig({
  testDir: "e2e",
  forbidOnly: !!process.env.CI,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e-results.json" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/, use: browser },
    { name: "ui", testMatch: /.*\.ui\.spec\.ts/, dependencies: ["setup"], use: { ...browser, storageState: STORAGE_STATE.admin } },
    { name: "api", testMatch: /.*\.api\.spec\.ts/, dependencies: ["setup"] },
    // Flows change data (clusters, grants): they run after the specs that check a fresh install.
    { name: "flows", testMatch: /.*\.flow\.spec\.ts/, dependencies: ["ui", "api"], use: browser },
    // The whole HTTP contract, last (it adds clusters and revocations the flows would count);
    // it mints its bearer tokens on the Settings page, hence the browser.
    { name: "contract", testMatch: /.*\.contract\.spec\.ts/, dependencies: ["flows"], use: browser },
    // A phone (390×844, touch) after the flows, so the pages it checks have a cluster and a node.
    {
      name: "mobile",
      testMatch: /.*\.mobile\.spec\.ts/,
      dependencies: ["flows"],
      use: {
        ...browser,
        viewport: { width: 390, height: 844 },
        screen: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      },
    },
  ],
  webServer: {
    // The server's whole output also goes to a file: `npm test` searches it for key material.
    command: `node scripts/start.mjs 2>&1 | tee ${JSON.stringify(serverLog)}`,
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    // At debug the server logs every request: the file keeps it, the console stays readable
    // (`npm test` prints the log's tail when the suite fails).
    stdout: "ignore",
    // Debug logging: every request and audit event is in the log the secrets scan reads.
    // X-Forwarded-For is honoured as behind a proxy, so a spec can be a client address of its own
    // (the sign-in lockout spec would otherwise throttle every later sign-in from 127.0.0.1).
    // Private webhook targets are allowed: the agents flow receives agent.stale on loopback.
    env: {
      PORT: String(PORT),
      CLUSTER_TLS_DATA_DIR: dataDir,
      CLUSTER_TLS_LOG_LEVEL: "debug",
      NEXT_TELEMETRY_DISABLED: "1",
      CLUSTER_TLS_TRUST_PROXY: "1",
      CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE: "1",
      CLUSTER_TLS_OIDC_ISSUER: `http://127.0.0.1:${SSO.port}`,
      CLUSTER_TLS_OIDC_CLIENT_ID: SSO.clientId,
      CLUSTER_TLS_OIDC_CLIENT_SECRET: SSO.clientSecret,
      CLUSTER_TLS_OIDC_PROVIDER_NAME: "Test IdP",
      CLUSTER_TLS_OIDC_SCOPES: "openid email profile groups",
      CLUSTER_TLS_OIDC_GROUP_MAP: JSON.stringify(SSO.groupMap),
    },
  },
});
