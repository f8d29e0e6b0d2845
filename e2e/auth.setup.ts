import { expect, test as setup } from "@playwright/test";
import { ADMIN, STORAGE_STATE } from "./support/accounts";

setup("the first visitor creates the admin on /setup, and the page then disappears", async ({ page }) => {
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
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByText(`${ADMIN.email} · Admin`)).toBeVisible();
  await page.context().storageState({ path: STORAGE_STATE.admin });

  const setupAgain = await page.request.get("/setup");
  expect(setupAgain.status()).toBe(404);
});
