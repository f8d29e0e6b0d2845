import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "@playwright/test";
import { hashPassword } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db";
import { createUser } from "@/lib/services/users/create-user";
import { killHard, launchApp, waitForHealth, type AppProcess } from "@/tests/support/app-process";

/**
 * README "Configuration": BETTER_AUTH_URL=https://… makes session cookies Secure. Checked on the
 * Set-Cookie header the production server (`npm start`) sends when a user signs in through the
 * real sign-in page, against one server behind https and one on plain http, where a Secure
 * cookie would be dropped by browsers and nobody could sign in.
 */
const ACCOUNT = { email: "cookie@example.com", password: "cookie password 123" };

type Server = { app: AppProcess; dataDir: string };
let root: string;
let browser: Browser | undefined;
const servers: Partial<Record<"https" | "http", Server>> = {};

/** The user exists before the server starts, as `cli admin create` would leave it. */
async function seedUser(dataDir: string) {
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  try {
    const actor = { type: "cli", label: "session-cookie test" } as const;
    await createUser({ db: handle.db, actor, input: { ...ACCOUNT, name: "Cookie", role: "admin" }, hashPassword });
  } finally {
    await handle.close();
  }
}

async function startServer(name: "https" | "http", env: Record<string, string>): Promise<Server> {
  const dataDir = path.join(root, name);
  await seedUser(dataDir);
  const app = await launchApp({ CLUSTER_TLS_DATA_DIR: dataDir, CLUSTER_TLS_JOBS: "off", ...env });
  const server = { app, dataDir };
  servers[name] = server;
  expect(await waitForHealth(app), app.output()).toBe(200);
  return server;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-cookie-"));
  // The test talks to http://127.0.0.1:<port>, which auth.ts trusts beside BETTER_AUTH_URL's origin.
  await Promise.all([startServer("https", { BETTER_AUTH_URL: "https://pki.example.test" }), startServer("http", {})]);
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

type SetCookie = { name: string; value: string; attributes: Map<string, string> };

/** RFC 6265 §5.2: attribute names are case-insensitive; a flag like Secure has no value. */
function parseSetCookie(line: string): SetCookie {
  const [pair = "", ...rest] = line.split(";").map((part) => part.trim());
  const eq = pair.indexOf("=");
  const attributes = new Map(
    rest.filter(Boolean).map((attribute) => {
      const [key = "", ...value] = attribute.split("=");
      return [key.trim().toLowerCase(), value.join("=").trim()] as const;
    }),
  );
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

/**
 * Signs in as a browser does (the form posts to its server action) and returns the Set-Cookie
 * lines of that answer, read from the wire: whether Chromium then keeps a Secure cookie from
 * http://127.0.0.1 is its own business.
 */
async function signInSetCookies(url: string): Promise<string[]> {
  const context = await browser!.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${url}/sign-in`);
    await page.getByLabel("Email").fill(ACCOUNT.email);
    await page.getByLabel("Password").fill(ACCOUNT.password);
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    const headers = await (await answer).headersArray();
    return headers.filter((h) => h.name.toLowerCase() === "set-cookie").flatMap((h) => h.value.split("\n"));
  } finally {
    await context.close();
  }
}

/** The cookie is the session, not a bystander: sent back, it opens the dashboard as the user. */
async function expectSignedIn(url: string, cookie: SetCookie) {
  const response = await fetch(`${url}/`, { headers: { cookie: `${cookie.name}=${cookie.value}` }, redirect: "manual" });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain(ACCOUNT.email);
}

describe("session cookie set at sign-in", () => {
  it("is __Secure- prefixed, Secure, HttpOnly and SameSite=Lax when BETTER_AUTH_URL is https", async () => {
    const { app } = servers.https!;
    const lines = await signInSetCookies(app.url);
    const cookies = lines.map(parseSetCookie);
    const session = cookies.find((c) => c.name === "__Secure-cluster-tls.session_token");
    expect(session, `Set-Cookie at sign-in:\n${lines.join("\n")}\n${app.output()}`).toBeDefined();
    expect(session!.value).not.toBe("");
    expect(session!.attributes.has("secure")).toBe(true);
    expect(session!.attributes.has("httponly")).toBe(true);
    expect(session!.attributes.get("samesite")?.toLowerCase()).toBe("lax");
    expect(session!.attributes.get("path")).toBe("/");
    // Nothing else set at sign-in may travel in clear text either.
    expect(cookies.filter((c) => !c.attributes.has("secure")).map((c) => c.name)).toEqual([]);
    await expectSignedIn(app.url, session!);
  }, 30_000);

  it("has no Secure flag (nor the prefix that requires it) on plain http, so browsers keep it", async () => {
    const { app } = servers.http!;
    const lines = await signInSetCookies(app.url);
    const cookies = lines.map(parseSetCookie);
    expect(cookies.filter((c) => c.name.startsWith("__Secure-") || c.name.startsWith("__Host-")).map((c) => c.name)).toEqual([]);
    const session = cookies.find((c) => c.name === "cluster-tls.session_token");
    expect(session, `Set-Cookie at sign-in:\n${lines.join("\n")}\n${app.output()}`).toBeDefined();
    expect(session!.attributes.has("secure")).toBe(false);
    expect(session!.attributes.has("httponly")).toBe(true);
    expect(session!.attributes.get("samesite")?.toLowerCase()).toBe("lax");
    await expectSignedIn(app.url, session!);
  }, 30_000);
});
