import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { hashPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema } from "@/lib/db";
import { LOGIN_LIMIT } from "@/lib/auth/login-throttle";
import { TOKEN_FAILURE_LIMIT } from "@/lib/services/tokens/authenticate-api-token";
import { createUser } from "@/lib/services/users/create-user";
import { killHard, launchApp, waitForHealth, type AppProcess } from "@/tests/support/app-process";

/**
 * README "Configuration", CLUSTER_TLS_TRUST_PROXY: the client address that sign-in and API token
 * throttling, audit rows and sessions record is the socket's peer, whatever X-Forwarded-For a
 * client writes; behind a proxy that is trusted, the address the proxy appended. Over real HTTP
 * against `npm start`: one server reached directly, one told to trust its proxy.
 */
const ACCOUNT = { email: "owner@example.com", password: "owner password 123" };
const FORGED = 15; // more sign-ins than LOGIN_LIMIT allows one address

type Server = { app: AppProcess; dataDir: string };
let root: string;
let browser: Browser | undefined;
const servers: Partial<Record<"direct" | "proxied", Server>> = {};

async function seedUser(dataDir: string) {
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  try {
    await createUser({
      db: handle.db,
      actor: { type: "cli", label: "client-address test" },
      input: { ...ACCOUNT, name: "Owner", role: "admin" },
      hashPassword,
    });
  } finally {
    await handle.close();
  }
}

async function startServer(name: "direct" | "proxied", env: Record<string, string>): Promise<void> {
  const dataDir = path.join(root, name);
  await seedUser(dataDir);
  const app = await launchApp({ CLUSTER_TLS_DATA_DIR: dataDir, CLUSTER_TLS_JOBS: "off", ...env });
  servers[name] = { app, dataDir };
  expect(await waitForHealth(app), app.output()).toBe(200);
}

/** After the server has stopped (PGlite has one owner): what it recorded. */
async function recorded(dataDir: string) {
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  try {
    const audit = await handle.db
      .select({ ip: schema.auditEvents.ipAddress, outcome: schema.auditEvents.outcome })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.action, "auth.sign_in"));
    const sessions = await handle.db.select({ ip: schema.sessions.ipAddress }).from(schema.sessions);
    return { audit, sessions };
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-client-address-"));
  await Promise.all([startServer("direct", {}), startServer("proxied", { CLUSTER_TLS_TRUST_PROXY: "1" })]);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  for (const server of Object.values(servers)) killHard(server.app);
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** One sign-in through the real form, on a fresh page; the answer is what the page then says. */
async function signIn(
  page: Page,
  url: string,
  email: string,
  password: string,
  forwardedFor: string,
): Promise<"incorrect" | "throttled" | "signed in"> {
  await page.setExtraHTTPHeaders({ "x-forwarded-for": forwardedFor });
  await page.goto(`${url}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const refusal = page.getByText(/Email or password is incorrect\.|Too many failed sign-ins/);
  await refusal.or(page.getByRole("heading", { level: 1, name: "Overview" })).waitFor();
  if (new URL(page.url()).pathname === "/") return "signed in";
  return (await refusal.textContent())?.includes("Too many") ? "throttled" : "incorrect";
}

/** FORGED failed sign-ins, each for another account and with another X-Forwarded-For. */
async function guessAccounts(server: Server, forwardedFor: (i: number) => string) {
  const context = await browser!.newContext();
  try {
    const page = await context.newPage();
    const answers = [];
    for (let i = 0; i < FORGED; i++)
      answers.push(await signIn(page, server.app.url, `nobody${i}@example.com`, "a wrong guess!", forwardedFor(i)));
    return answers;
  } finally {
    await context.close();
  }
}

async function signInOnce(server: Server, forwardedFor: string) {
  const context = await browser!.newContext();
  try {
    const page = await context.newPage();
    expect(await signIn(page, server.app.url, ACCOUNT.email, ACCOUNT.password, forwardedFor), server.app.output()).toBe("signed in");
  } finally {
    await context.close();
  }
}

describe("client address reached directly (no trusted proxy)", () => {
  it("signs in once with a forged X-Forwarded-For (the session's address is checked below)", async () => {
    await signInOnce(servers.direct!, "203.0.113.77");
  }, 30_000);

  it(`throttles ${FORGED} failed sign-ins from one address that sends a new X-Forwarded-For each time`, async () => {
    const answers = await guessAccounts(servers.direct!, (i) => `203.0.113.${i + 1}`);
    expect(answers).toEqual([...Array(LOGIN_LIMIT.attempts).fill("incorrect"), ...Array(FORGED - LOGIN_LIMIT.attempts).fill("throttled")]);
  }, 60_000);

  it("throttles API token guesses from one address that sends a new X-Forwarded-For each time", async () => {
    const statuses = [];
    for (let i = 0; i <= TOKEN_FAILURE_LIMIT.attempts; i++) {
      // Well-formed, each with a prefix of its own: only the address can tie them together.
      const guess = `ctls_${String(i).padStart(8, "p")}_${"x".repeat(43)}`;
      const response = await fetch(`${servers.direct!.app.url}/api/v1/clusters`, {
        headers: { authorization: `Bearer ${guess}`, "x-forwarded-for": `203.0.113.${i + 1}` },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(TOKEN_FAILURE_LIMIT.attempts).fill(401), 429]);
  }, 30_000);

  it("wrote the socket's address into every audit row and the session", async () => {
    const { app, dataDir } = servers.direct!;
    await app.stop();
    const { audit, sessions } = await recorded(dataDir);
    expect(audit.length).toBe(LOGIN_LIMIT.attempts + 1); // the failures before the throttle, and the sign-in
    expect(new Set(audit.map((row) => row.ip))).toEqual(new Set(["127.0.0.1"]));
    expect(sessions.map((row) => row.ip)).toEqual(["127.0.0.1"]);
  }, 30_000);
});

describe("client address behind a trusted proxy (CLUSTER_TLS_TRUST_PROXY=1)", () => {
  it("signs in once through the proxy (the session's address is checked below)", async () => {
    await signInOnce(servers.proxied!, "192.0.2.66, 203.0.113.77");
  }, 30_000);

  it("throttles per forwarded address: new addresses are new clients", async () => {
    // What the client wrote comes first; the proxy appends the peer it saw.
    const answers = await guessAccounts(servers.proxied!, (i) => `192.0.2.66, 203.0.113.${i + 1}`);
    expect(answers).toEqual(Array(FORGED).fill("incorrect"));
  }, 60_000);

  it("wrote the forwarded addresses into the audit rows and the session", async () => {
    const { app, dataDir } = servers.proxied!;
    await app.stop();
    const { audit, sessions } = await recorded(dataDir);
    expect(audit.map((row) => row.ip).sort()).toEqual(
      ["203.0.113.77", ...Array.from({ length: FORGED }, (_, i) => `203.0.113.${i + 1}`)].sort(),
    );
    expect(sessions.map((row) => row.ip)).toEqual(["203.0.113.77"]);
  }, 30_000);
});
