import { expect, test } from "@playwright/test";
import { STORAGE_STATE } from "./support/accounts";

// The status line is what scripts, monitors and crawlers read: a page that says "not found" or
// "no access" must say it in the status too (RFC 9110 §15.5.4, §15.5.5), not only in its text.
const NO_CLUSTER = "00000000-0000-4000-8000-000000000000";

test.describe("as an admin", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("an unknown cluster or node answers 404 with the not-found page", async ({ page }) => {
    for (const path of [
      `/clusters/${NO_CLUSTER}`,
      "/clusters/no-such-cluster",
      `/clusters/${NO_CLUSTER}/settings`,
      `/clusters/${NO_CLUSTER}/rotation`,
      `/clusters/${NO_CLUSTER}/nodes/${NO_CLUSTER}`,
    ]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    }
  });

  test("/setup after the first admin exists sends visitors to sign in", async ({ page, playwright, baseURL }) => {
    const signedIn = await page.request.get("/setup", { maxRedirects: 0 });
    expect(signedIn.status()).toBe(307);
    expect(signedIn.headers().location).toBe("/sign-in");
    const anonymous = await playwright.request.newContext({ baseURL });
    const response = await anonymous.get("/setup", { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    expect(response.headers().location).toBe("/sign-in");
    await anonymous.dispose();
  });
});

test.describe("as a developer", () => {
  test.use({ storageState: STORAGE_STATE.developer });

  test("administration pages answer 403 with the page that says so", async ({ page }) => {
    const refused = {
      "/audit": "the audit log",
      "/settings/users": "user management",
      "/settings/tokens": "API tokens",
      "/settings/sign-in": "the sign-in settings",
      "/clusters/new": "creating clusters",
    };
    for (const [path, what] of Object.entries(refused)) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { name: `You don't have access to ${what}` })).toBeVisible();
      // The shell stays: the developer can go on from here.
      await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" })).toBeVisible();
    }
  });
});

test.describe("as an auditor", () => {
  test.use({ storageState: STORAGE_STATE.auditor });

  test("pages that change things answer 403; reading answers 200", async ({ page }) => {
    for (const path of ["/settings/users", "/settings/tokens", "/settings/sign-in", "/clusters/new"]) {
      expect((await page.goto(path))?.status(), path).toBe(403);
    }
    for (const path of ["/", "/clusters", "/certificates", "/audit", "/settings"]) {
      expect((await page.goto(path))?.status(), path).toBe(200);
    }
  });
});
