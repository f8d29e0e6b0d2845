import { expect, test } from "@playwright/test";

test.describe("dashboard shell", () => {
  test("shows the navigation and the empty state on a fresh install", async ({ page }) => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of ["Overview", "Clusters", "Certificates", "Audit log", "Settings"]) {
      await expect(nav.getByRole("link", { name: label })).toBeVisible();
    }
    await expect(nav.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No clusters yet — create one" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Create cluster" })).toHaveAttribute("href", "/clusters/new");
  });

  test("navigates between sections and marks the current one", async ({ page }) => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Clusters" }).click();
    await expect(page).toHaveURL(/\/clusters$/);
    await expect(page.getByRole("heading", { level: 1, name: "Clusters" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Clusters" })).toHaveAttribute("aria-current", "page");

    await nav.getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    await expect(page.getByText(/embedded PGlite at \/.*pglite/)).toBeVisible();
  });

  test("does not overflow horizontally at a small laptop width", async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto("/certificates");
    await expect(page.getByRole("heading", { name: "No certificates yet" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
