import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killHard, launchApp, waitForHealth, type AppProcess } from "@/tests/support/app-process";

/**
 * README "Configuration": which origins may post forms (server actions) and form downloads, over
 * real HTTP against `npm start`, reached directly and as a reverse proxy that rewrites Host would
 * reach it. One check for both: the request's own host (X-Forwarded-Host, else Host),
 * BETTER_AUTH_URL and CLUSTER_TLS_TRUSTED_ORIGINS. A refused origin is a 403, not a 500.
 * Also: the address `npm start` says it listens on, and the CLI endpoint's answer to bad JSON.
 */
const PUBLIC_ORIGIN = "https://pki.example.test";
let dataDir: string;
let app: AppProcess;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-origin-"));
  app = await launchApp({
    CLUSTER_TLS_DATA_DIR: dataDir,
    CLUSTER_TLS_JOBS: "off",
    CLUSTER_TLS_TRUSTED_ORIGINS: `https://other.example.test, ${PUBLIC_ORIGIN}`,
    HOST: "127.0.0.1",
  });
  expect(await waitForHealth(app), app.output()).toBe(200);
}, 240_000);

afterAll(() => {
  if (app) killHard(app);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** node:http, because fetch will not send a Host header of our choosing. */
function post(pathname: string, headers: Record<string, string>, body = ""): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname, port, path: pathname, method: "POST", headers: { "content-length": Buffer.byteLength(body), ...headers } },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode!, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

const PROXY_HOST = "app.internal:3000"; // what a proxy that rewrites Host sends
const download = (headers: Record<string, string>) =>
  post("/clusters/orders-prod/client-bundle", { "content-type": "application/x-www-form-urlencoded", ...headers }, "databaseUser=app");
// A server action as a browser posts one; the id need not exist: the origin is checked first.
const action = (headers: Record<string, string>) =>
  post("/sign-in", { "next-action": "00".repeat(21), "content-type": "text/plain;charset=UTF-8", ...headers }, "[]");

describe("origin of form posts and form downloads", () => {
  it("refuses a server action from a foreign or null Origin with 403", async () => {
    for (const origin of ["https://evil.example", "null"]) {
      const answer = await action({ origin });
      expect(answer.status, `Origin: ${origin}\n${answer.body}`).toBe(403);
    }
  });

  it("refuses a form download from a foreign, null or missing Origin with 403", async () => {
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example", undefined]) {
      expect((await download(origin ? { origin } : {})).status, `Origin: ${origin}`).toBe(403);
    }
  });

  it("accepts its own origin (Host) for both: the download then asks for a session", async () => {
    expect((await download({ origin: app.url })).status).toBe(401);
    expect([403, 500]).not.toContain((await action({ origin: app.url })).status);
  });

  it("accepts, behind a proxy that rewrites Host, the origin in X-Forwarded-Host for both", async () => {
    const forwarded = { host: PROXY_HOST, "x-forwarded-host": "pki.proxy.test", origin: "https://pki.proxy.test" };
    expect((await download(forwarded)).status).toBe(401);
    expect([403, 500]).not.toContain((await action(forwarded)).status);
  });

  it("accepts, behind a proxy that rewrites Host, an origin of CLUSTER_TLS_TRUSTED_ORIGINS for both", async () => {
    const trusted = { host: PROXY_HOST, origin: PUBLIC_ORIGIN };
    expect((await download(trusted)).status).toBe(401);
    expect([403, 500]).not.toContain((await action(trusted)).status);
    // Trusted is the exact origin: another scheme or port is another origin.
    expect((await download({ host: PROXY_HOST, origin: "http://pki.example.test" })).status).toBe(403);
  });
});

describe("CLI endpoint", () => {
  it("answers a body that is not JSON with 400 naming the problem, without the parser's message", async () => {
    const secret = fs.readFileSync(path.join(dataDir, "cli.secret"), "utf8").trim();
    const answer = await post(
      "/api/internal/cli",
      { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      '{"command": "backup",',
    );
    expect(answer.status).toBe(400);
    const { error } = JSON.parse(answer.body) as { error: { code: string; message: string } };
    expect(error).toEqual({ code: "VALIDATION_FAILED", message: "the request body is not valid JSON" });
  });
});

describe("start-up", () => {
  it("says where it listens (HOST=127.0.0.1)", () => {
    expect(app.output()).toContain(`[cluster-tls] listening on ${app.url}`);
  });
});
