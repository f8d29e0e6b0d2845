import { expect as baseExpect, test, type Locator, type Page } from "@playwright/test";
import { STORAGE_STATE } from "./support/accounts";
import { snapshot, snapshotPart } from "./support/artifacts";

// A cluster of its own with a few 397-day server certificates, looked at as someone on call would,
// on a laptop screen. Runs after the other flows (name order); it archives nothing they use.
// A cluster and four nodes, each key generated while other suites share two cores: generous waits.
test.describe.configure({ mode: "serial", timeout: 120_000 });
const expect = baseExpect.configure({ timeout: 20_000 });
test.use({ storageState: STORAGE_STATE.admin, viewport: { width: 1440, height: 900 } });

const CLUSTER = "fleet-prod";
const HOSTS = ["db1.fleet.internal", "db2.fleet.internal", "db3.fleet.internal", "db4.fleet.internal"];
const LONG_NAME = "replica-analytics-warehouse-03.eu-central-1.fleet.internal";

async function openCluster(page: Page) {
  await page.goto("/clusters");
  await page.getByRole("link", { name: new RegExp(CLUSTER) }).click();
  await expect(page.getByRole("heading", { level: 1, name: CLUSTER })).toBeVisible();
}

/** The server rows of the timeline's table alternative, in the order the chart draws them. */
async function timelineServers(timeline: Locator) {
  await timeline.getByText("Show as a table").click();
  const cells = await timeline
    .getByRole("table")
    .getByRole("cell", { name: /^Server / })
    .allTextContents();
  await timeline.getByText("Show as a table").click();
  return cells.map((cell) => cell.replace(/^Server /, ""));
}

/** The lines a block of text was laid out in, read from the rendered glyph positions. */
function renderedLines(element: Locator) {
  return element.evaluate((root) => {
    const lines = new Map<number, string>();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.textContent!.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        lines.set(top, (lines.get(top) ?? "") + node.textContent![i]);
      }
    }
    return [...lines.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  });
}

test.describe("what a new team sees on a cluster", () => {
  test("the timeline opens fitted to 397-day certificates: each bar ends in view with its days left and date", async ({ page }) => {
    await page.goto("/clusters/new");
    await page.getByLabel("Name", { exact: true }).fill(CLUSTER);
    await page.getByRole("button", { name: "Create cluster" }).click();
    await expect(page.getByRole("heading", { level: 1, name: CLUSTER })).toBeVisible();
    const form = page.getByRole("form", { name: "Add node" });
    for (const host of HOSTS) {
      await form.getByLabel("Host name").fill(host);
      await form.getByLabel("Extra DNS names").fill(host === "db4.fleet.internal" ? LONG_NAME : "");
      await form.getByRole("button", { name: "Add node" }).click();
      await expect(page.getByRole("row", { name: new RegExp(host.replace(/\./g, "\\.")) })).toBeVisible();
    }

    const timeline = page.getByRole("region", { name: "Expiry timeline" });
    await expect(timeline.getByRole("link", { name: "Fit" })).toHaveAttribute("aria-current", "true");
    const chart = timeline.getByRole("img", { name: /Expiry timeline from/ });
    // Every server bar carries its end: 396 or 397 days left (time of day) and the date.
    await expect(chart.locator("text", { hasText: /^39[67] d · \d{4}-\d{2}-\d{2}$/ })).toHaveCount(HOSTS.length);
    await expect(chart.locator("text", { hasText: /^30 d$/ })).toHaveCount(1);
    await expect(chart.locator("text", { hasText: "None expire in this window" })).toHaveCount(0);

    // The fixed year leaves every 397-day bar past its edge, and says so instead of looking empty.
    await timeline.getByRole("link", { name: "1 year" }).click();
    await expect(timeline.getByRole("link", { name: "1 year" })).toHaveAttribute("aria-current", "true");
    await expect(chart.locator("text", { hasText: /^39[67] d · / })).toHaveCount(HOSTS.length);
    await timeline.getByRole("link", { name: "3 months" }).click();
    await expect(chart.locator("text", { hasText: "None expire in this window" })).toHaveCount(1);
    await timeline.getByRole("link", { name: "Fit" }).click();
    await expect(timeline.getByRole("link", { name: "Fit" })).toHaveAttribute("aria-current", "true");
  });

  test("a re-issued node moves to the end of both the nodes table and the timeline, and toasts leave the row actions free", async ({
    page,
  }) => {
    await openCluster(page);
    const nodes = page.getByRole("region", { name: /^Nodes/ });
    const row = nodes.getByRole("row", { name: /db1\.fleet\.internal/ });
    await row.evaluate((el) => el.scrollIntoView({ block: "end" }));
    await row.getByRole("button", { name: "Re-issue db1.fleet.internal" }).click();
    await page
      .getByRole("dialog", { name: "Re-issue the certificate of db1.fleet.internal?" })
      .getByRole("button", { name: "Re-issue" })
      .click();
    const toast = page.getByText(/Re-issued db1\.fleet\.internal: certificate [0-9A-F]+\./);
    await expect(toast).toBeVisible();
    const toastBox = (await toast.boundingBox())!;
    for (const action of await nodes.getByRole("row").locator("button, a").all()) {
      const box = await action.boundingBox();
      if (!box) continue;
      const overlaps =
        box.x < toastBox.x + toastBox.width &&
        toastBox.x < box.x + box.width &&
        box.y < toastBox.y + toastBox.height &&
        toastBox.y < box.y + box.height;
      expect(overlaps, `the toast covers ${(await action.getAttribute("aria-label")) ?? (await action.textContent())}`).toBe(false);
    }

    const listed = await nodes
      .getByRole("row")
      .getByRole("link", { name: /^db\d\.fleet\.internal$/ })
      .allTextContents();
    expect(listed).toEqual(["db2.fleet.internal", "db3.fleet.internal", "db4.fleet.internal", "db1.fleet.internal"]);
    expect(await timelineServers(page.getByRole("region", { name: "Expiry timeline" }))).toEqual(listed);

    await page.getByRole("region", { name: "Expiry timeline" }).scrollIntoViewIfNeeded();
    await snapshotPart(page.getByRole("region", { name: "Expiry timeline" }), "cluster-timeline");
    await snapshot(page, "cluster-timeline-page");
  });

  test("the node's history names the certificate that replaced the old one", async ({ page }) => {
    await openCluster(page);
    await page.getByRole("link", { name: "db1.fleet.internal", exact: true }).click();
    const history = page.getByRole("table", { name: "Certificate history" });
    const rows = history.getByRole("row");
    await expect(rows).toHaveCount(3);
    const current = (await rows.nth(1).getByRole("cell").first().textContent())!;
    await expect(rows.nth(2)).toContainText("Superseded");
    await expect(rows.nth(2).getByRole("cell").last()).toHaveText(current);
  });

  test("revoking opens on Cancel and reason Unspecified: key compromise is a deliberate choice", async ({ page }) => {
    await openCluster(page);
    await page.getByRole("link", { name: "db3.fleet.internal", exact: true }).click();
    await page.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke the certificate of db3.fleet.internal?" });
    await expect(dialog.getByLabel("Reason")).toHaveValue("unspecified");
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await page.keyboard.press("Enter"); // Enter on the focused Cancel revokes nothing
    await expect(dialog).toBeHidden();
    await page.getByRole("button", { name: "Revoke" }).click();
    await dialog.getByRole("button", { name: "Revoke certificate" }).click();
    await expect(page.getByText(/Revoked the certificate of db3\.fleet\.internal; CRL \d+ published/)).toBeVisible();
  });

  test("the Certificates page lists current certificates by default; revoked and superseded ones count no days left", async ({ page }) => {
    await page.goto("/certificates?q=fleet.internal");
    await expect(page.getByLabel("Status")).toHaveValue("");
    const table = page.getByRole("table");
    await expect(table.getByRole("row", { name: /db1\.fleet\.internal/ })).toHaveCount(1);
    await expect(table.getByRole("row", { name: /db3\.fleet\.internal/ })).toHaveCount(0);

    await page.getByLabel("Status").selectOption("all");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/status=all/);
    await expect(table.getByRole("row", { name: /db1\.fleet\.internal/ })).toHaveCount(2);
    for (const status of ["Superseded", "Revoked"]) {
      const row = table
        .getByRole("row")
        .filter({ has: page.getByText(status, { exact: true }) })
        .first();
      await expect(row.getByRole("cell").last()).toHaveText("—");
    }
    await expect(
      table
        .getByRole("row")
        .filter({ has: page.getByText("Valid", { exact: true }) })
        .first()
        .getByRole("cell")
        .last(),
    ).toHaveText(/^\d+$/);
  });

  test("the node card wraps a long name at its dots and hyphens, never mid-word", async ({ page }) => {
    await openCluster(page);
    await page.getByRole("link", { name: "db4.fleet.internal", exact: true }).click();
    const card = page.getByRole("region", { name: "Node" });
    const names = card.getByRole("definition").filter({ hasText: LONG_NAME });
    const lines = await renderedLines(names);
    expect(lines.length).toBeGreaterThan(1); // the card is narrower than the name
    expect(lines.join("")).toBe(LONG_NAME);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/[.\-]$/);
  });
});
