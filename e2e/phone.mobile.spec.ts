import { expect, test, type Page } from "@playwright/test";
import { STORAGE_STATE } from "./support/accounts";
import { snapshot } from "./support/artifacts";

// On call, on a phone (390×844, the "mobile" project): runs after the flows, which create
// orders-prod with its node db1.orders.internal and grant it to the developer.
test.describe.configure({ mode: "serial" });

/**
 * Nothing may be wider than the screen: wide tables scroll inside their own box instead. A phone
 * browser zooms out to fit a page wider than the screen, which widens innerWidth itself, so the
 * layout viewport must also still be the phone's 390 px.
 */
async function expectNoHorizontalOverflow(page: Page) {
  const path = new URL(page.url()).pathname;
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${path} is ${scrollWidth}px wide on a ${innerWidth}px screen`).toBeLessThanOrEqual(innerWidth);
  expect(innerWidth, `${path} made the phone zoom out to ${innerWidth}px`).toBe(page.viewportSize()!.width);
}

async function openMenu(page: Page) {
  const button = page.getByRole("button", { name: "Menu" });
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  return page.getByRole("navigation", { name: "Main" });
}

async function navigate(page: Page, label: string) {
  const nav = await openMenu(page);
  await nav.getByRole("link", { name: label }).click();
  await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
}

test.describe("as an admin on a phone", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("the sidebar folds behind a menu button that opens, closes with Escape and gives focus back", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    const button = page.getByRole("button", { name: "Menu" });
    await expect(button).toHaveAttribute("aria-controls", /.+/);
    const nav = await openMenu(page);
    await expect(nav.getByRole("link", { name: "Clusters" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Overview" })).toBeFocused(); // focus moves into the menu
    await page.keyboard.press("Escape");
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await expect(button).toBeFocused();
    await expectNoHorizontalOverflow(page);
  });

  test("the overview, the clusters list, a cluster and a node fit the screen; the menu navigates", async ({ page }) => {
    await page.goto("/");
    await expectNoHorizontalOverflow(page);

    await navigate(page, "Clusters");
    await expect(page).toHaveURL(/\/clusters$/);
    await expect(page.getByRole("heading", { level: 1, name: "Clusters" })).toBeVisible();
    await expectNoHorizontalOverflow(page);

    await page.getByRole("link", { name: /orders-prod/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "orders-prod" })).toBeVisible();
    const nodes = page.getByRole("table", { name: "Nodes" });
    await expect(nodes.getByRole("row", { name: /db1\.orders\.internal/ })).toBeVisible();
    await expectNoHorizontalOverflow(page);
    // The table is wider than the phone and scrolls inside its own box.
    const box = await nodes.evaluate((table) => {
      const scroller = table.closest("div");
      return {
        overflowX: scroller ? getComputedStyle(scroller).overflowX : "",
        wider: scroller ? scroller.scrollWidth > scroller.clientWidth : false,
      };
    });
    expect(box).toEqual({ overflowX: "auto", wider: true });
    await snapshot(page, "mobile-cluster");

    await nodes.getByRole("link", { name: "db1.orders.internal", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "db1.orders.internal" })).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await snapshot(page, "mobile-node");

    await navigate(page, "Overview");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Clusters by certificate status" })).toBeVisible();
    await expectNoHorizontalOverflow(page);
  });
});

test.describe("as the developer on a phone", () => {
  test.use({ storageState: STORAGE_STATE.developer });

  test("the landing page fits the screen and the menu reaches the certificates", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Your database access" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Download a client bundle for app on orders-prod" })).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await snapshot(page, "mobile-developer-home");
    await navigate(page, "Certificates");
    await expect(page.getByRole("heading", { level: 1, name: "Certificates" })).toBeVisible();
    await expectNoHorizontalOverflow(page);
  });
});
