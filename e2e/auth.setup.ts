import { expect, test as setup, type Browser } from "@playwright/test";
import { ADMIN, AUDITOR, DEVELOPER, STORAGE_STATE } from "./support/accounts";

setup.describe.configure({ mode: "serial" });

setup("the first visitor creates the admin on /setup, and the page then leads to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill("a different password");
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByText("Passwords do not match")).toBeVisible();

  // Typed values survive the failed submission; passwords are deliberately not echoed back.
  await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);
  await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
  await page.getByLabel("Confirm password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  // One action hashes the password, signs in and renders the first overview: seconds on a busy machine.
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(`${ADMIN.email} · Admin`)).toBeVisible();
  await page.context().storageState({ path: STORAGE_STATE.admin });

  const setupAgain = await page.request.get("/setup", { maxRedirects: 0 });
  expect(setupAgain.status()).toBe(307);
  expect(setupAgain.headers().location).toBe("/sign-in");
});

setup("the admin adds a developer and an auditor on the Users page", async ({ browser }) => {
  const context = await browser.newContext({ storageState: STORAGE_STATE.admin });
  const page = await context.newPage();
  await page.goto("/settings/users");
  const form = page.getByRole("form", { name: "Add user" });
  for (const account of [DEVELOPER, AUDITOR]) {
    await form.getByLabel("Name").fill(account.name);
    await form.getByLabel("Email").fill(account.email);
    await form.getByLabel("Initial password").fill(account.password);
    await form.getByLabel("Role").selectOption(account.role);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByRole("cell", { name: new RegExp(account.email) })).toBeVisible();
  }
  // A duplicate email is refused with the field named.
  await form.getByLabel("Name").fill("Someone");
  await form.getByLabel("Email").fill(DEVELOPER.email);
  await form.getByLabel("Initial password").fill("another password 1");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByText("Already in use")).toBeVisible();
  await context.close();
});

async function signInAndSave(browser: Browser, account: { email: string; password: string; role: string }, file: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // A developer starts on their own page (their clusters and client bundles), others on the overview.
  const home = account.role === "developer" ? "Your database access" : "Overview";
  await expect(page.getByRole("heading", { level: 1, name: home })).toBeVisible();
  await context.storageState({ path: file });
  await context.close();
}

setup("the developer and the auditor sign in", async ({ browser }) => {
  await signInAndSave(browser, DEVELOPER, STORAGE_STATE.developer);
  await signInAndSave(browser, AUDITOR, STORAGE_STATE.auditor);
});
