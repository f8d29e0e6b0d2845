import { expect, test, type Browser, type Page } from "@playwright/test";
import { startOidcProvider, type TestOidcProvider } from "../tests/support/oidc-provider";
import { SSO } from "../playwright.config";
import { STORAGE_STATE } from "./support/accounts";

// Single sign-on in Chromium through a real OpenID Provider's own login page (oidc-provider's
// development interactions), configured for the server in playwright.config.ts.
test.describe.configure({ mode: "serial" });

let idp: TestOidcProvider;
const users = [
  { login: "sso-admin", email: "sso-admin@example.com", name: "Sam Admin", groups: ["pki-admins"] },
  { login: "sso-dev", email: "sso-dev@example.com", name: "Dana Dev", groups: ["orders-devs", "staff"] },
  { login: "sso-outsider", email: "sso-outsider@example.com", name: "Otto Outsider", groups: ["marketing"] },
];

test.beforeAll(async ({ browser }, testInfo) => {
  const app = new URL(String(testInfo.project.use.baseURL));
  const redirectUris = ["localhost", "127.0.0.1"].map((host) => `http://${host}:${app.port}/sign-in/sso/callback`);
  idp = await startOidcProvider({ port: SSO.port, clientId: SSO.clientId, clientSecret: SSO.clientSecret, redirectUris, users });
  await ensureClusters(browser, ["orders-prod", "sso-other-prod"]);
});
test.afterAll(async () => {
  await idp?.close();
});

async function ensureClusters(browser: Browser, names: string[]) {
  const context = await browser.newContext({ storageState: STORAGE_STATE.admin });
  const page = await context.newPage();
  for (const name of names) {
    await page.goto("/clusters");
    if ((await page.getByRole("link", { name: new RegExp(`^${name}\\b`) }).count()) > 0) continue;
    await page.getByRole("link", { name: "New cluster" }).click();
    const form = page.getByRole("form", { name: "Create cluster" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByRole("button", { name: "Create cluster" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  }
  await context.close();
}

async function signInWithProvider(page: Page, login: string, path = "/sign-in") {
  await page.goto(path);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  // The provider's own login page.
  await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:${SSO.port}/interaction/`));
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("a password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

test("a pki-admins member signs in through the provider and lands as admin", async ({ page }) => {
  await signInWithProvider(page, "sso-admin");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("sso-admin@example.com · Admin")).toBeVisible();
  await page.goto("/settings/sign-in");
  await expect(
    page.getByRole("table", { name: "Group mapping" }).getByRole("row", { name: "orders-devs developer orders-prod: app_rw, reporting" }),
  ).toBeVisible();
});

test("an orders-devs member sees only orders-prod and its two database users, and comes back where sign-in was asked for", async ({
  page,
}) => {
  await signInWithProvider(page, "sso-dev", "/sign-in?next=%2Fclusters");
  await expect(page).toHaveURL(/\/clusters$/);
  await expect(page.getByRole("link", { name: /orders-prod/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /sso-other-prod/ })).toHaveCount(0);
  await page.goto("/");
  const cluster = page.getByRole("region", { name: "orders-prod" });
  await expect(cluster.getByRole("button", { name: /^Download a client bundle for / })).toHaveCount(2);
  for (const databaseUser of ["app_rw", "reporting"]) {
    await expect(cluster.getByRole("button", { name: `Download a client bundle for ${databaseUser} on orders-prod` })).toBeVisible();
  }
  await expect(page.getByRole("region", { name: "sso-other-prod" })).toHaveCount(0);
});

test("someone in no mapped group is refused, told why, and not signed in", async ({ page }) => {
  await signInWithProvider(page, "sso-outsider");
  await expect(page).toHaveURL(/\/sign-in$/);
  const refusal = page.getByRole("alert").filter({ hasText: "is in no group" });
  await expect(refusal).toContainText("sso-outsider@example.com is in no group that grants access to cluster-tls");
  await expect(refusal).toContainText("groups from the identity provider: marketing");
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});
