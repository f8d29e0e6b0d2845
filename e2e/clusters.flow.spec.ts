import { expect, test } from "@playwright/test";
import { STORAGE_STATE } from "./support/accounts";

// Runs after the "ui" project (playwright.config.ts): those specs check the fresh, empty install.
test.describe.configure({ mode: "serial" });

test.describe("clusters", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("an admin creates a cluster: bad input is named, then the root CA appears with root.crt and CRL downloads", async ({ page }) => {
    await page.goto("/clusters");
    await page.getByRole("link", { name: "New cluster" }).click();
    const form = page.getByRole("form", { name: "Create cluster" });
    await form.getByLabel("Name", { exact: true }).fill("Orders Prod!");
    await form.getByLabel("Shared DNS names").fill("pg-rw.orders.internal, not_a_name");
    await form.getByRole("button", { name: "Create cluster" }).click();
    await expect(form.getByText("Use lower-case letters, digits, - and _")).toBeVisible();
    await expect(form.getByText("Not a valid DNS name")).toBeVisible();
    await expect(form.getByLabel("Name", { exact: true })).toHaveValue("Orders Prod!"); // kept for correction

    await form.getByLabel("Name", { exact: true }).fill("orders-prod");
    await form.getByLabel("Shared DNS names").fill("pg-rw.orders.internal, pg-ro.orders.internal");
    await form.getByLabel("Organization (O) on certificates").fill("Acme");
    await form.getByRole("button", { name: "Create cluster" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "orders-prod" })).toBeVisible();
    await expect(page.getByText("Created orders-prod and its root CA")).toBeVisible();
    const ca = page.getByRole("region", { name: /Certificate authority/ });
    await expect(ca.getByText("CN=orders-prod Root CA,O=Acme")).toBeVisible();
    await expect(ca.getByRole("meter", { name: "Validity used" })).toHaveAttribute("aria-valuetext", /^36\d\d days left$/);

    const root = await page.request.get(`${page.url()}/root.crt`);
    expect(root.status()).toBe(200);
    expect(await root.text()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const crl = await page.request.get(`${page.url()}/crl`);
    expect(await crl.text()).toMatch(/^-----BEGIN X509 CRL-----/);

    await page.goto("/clusters/new");
    await page.getByLabel("Name", { exact: true }).fill("orders-prod");
    await page.getByRole("button", { name: "Create cluster" }).click();
    await expect(page.getByText("Already in use")).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill("billing-prod");
    await page.getByRole("button", { name: "Create cluster" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "billing-prod" })).toBeVisible();
  });

  test("the admin adds a node: its certificate covers the host, its IPs and the cluster's shared names", async ({ page }) => {
    await page.goto("/clusters");
    await page.getByRole("link", { name: /orders-prod/ }).click();
    const form = page.getByRole("form", { name: "Add node" });
    await form.getByLabel("Host name").fill("db_1");
    await form.getByLabel("IP addresses").fill("10.0.0.300");
    await form.getByRole("button", { name: "Add node" }).click();
    await expect(form.getByText("Not a valid host name (e.g. db1.orders.internal)")).toBeVisible();
    await expect(form.getByText("Not a valid IPv4 or IPv6 address")).toBeVisible();

    await form.getByLabel("Host name").fill("db1.orders.internal");
    await form.getByLabel("IP addresses").fill("10.0.0.5");
    await form.getByRole("button", { name: "Add node" }).click();
    await expect(page.getByText(/Added db1\.orders\.internal; certificate [0-9A-F]+ issued/)).toBeVisible();
    const row = page.getByRole("row", { name: /db1\.orders\.internal/ });
    await expect(row.getByText("db1.orders.internal, pg-rw.orders.internal, pg-ro.orders.internal, 10.0.0.5")).toBeVisible();
    await expect(row.getByText("Valid")).toBeVisible();

    const downloadPromise = page.waitForEvent("download");
    await row.getByRole("link", { name: "Download server bundle for db1.orders.internal" }).click();
    expect((await downloadPromise).suggestedFilename()).toBe("db1.orders.internal.zip");

    await row.getByRole("button", { name: "Re-issue db1.orders.internal" }).click();
    const dialog = page.getByRole("dialog", { name: "Re-issue the certificate of db1.orders.internal?" });
    await dialog.getByRole("button", { name: "Re-issue" }).click();
    await expect(page.getByText(/Re-issued db1\.orders\.internal: certificate [0-9A-F]+\./)).toBeVisible();
    await expect(page.getByRole("row", { name: /db1\.orders\.internal/ })).toHaveCount(1); // one active certificate per node
  });

  test("the admin grants the developer one cluster and its database users", async ({ page }) => {
    await page.goto("/settings/users");
    const grant = page.getByRole("form", { name: "Grant cluster access to dev@example.com" });
    await grant.getByLabel("Cluster").selectOption({ label: "orders-prod" });
    await grant.getByLabel("Database users").fill("app, reporting");
    await grant.getByRole("button", { name: "Grant" }).click();
    await expect(page.getByText("Access updated for dev@example.com")).toBeVisible();
    await expect(page.getByRole("row", { name: /dev@example\.com/ }).getByText("app, reporting")).toBeVisible();
  });
});

test.describe("as that developer", () => {
  test.use({ storageState: STORAGE_STATE.developer });

  test("sees only the granted cluster; another cluster's page does not exist for them", async ({ page, browser }) => {
    await page.goto("/clusters");
    await expect(page.getByRole("link", { name: /orders-prod/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /billing-prod/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New cluster" })).toHaveCount(0);
    await page.getByRole("link", { name: /orders-prod/ }).click();
    await expect(page.getByRole("row", { name: /db1\.orders\.internal/ })).toBeVisible();
    await expect(page.getByRole("form", { name: "Add node" })).toHaveCount(0); // read-only for developers
    // Download a client bundle for a granted database user.
    const form = page.getByRole("form", { name: "Download client bundle" });
    await expect(form.getByLabel("Database user").locator("option")).toHaveText(["app", "reporting"]);
    const downloadPromise = page.waitForEvent("download");
    await form.getByRole("button", { name: "Download client bundle" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe("orders-prod-app.zip");
    await expect(page.getByText("Downloaded orders-prod-app.zip. Its private key is not kept by cluster-tls.")).toBeVisible();

    await page.goto("/certificates");
    await expect(page.getByRole("cell", { name: "orders-prod Root CA" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "app", exact: true })).toBeVisible();
    await expect(page.getByRole("cell", { name: "billing-prod Root CA" })).toHaveCount(0);
    await page.goto("/");
    await expect(page.getByRole("term").filter({ hasText: "Clusters" }).locator("xpath=following-sibling::dd")).toHaveText("1");

    const admin = await browser.newContext({ storageState: STORAGE_STATE.admin });
    const adminPage = await admin.newPage();
    await adminPage.goto("/clusters");
    await adminPage.getByRole("link", { name: /billing-prod/ }).click();
    await adminPage.waitForURL(/\/clusters\/[0-9a-f-]{36}$/);
    const billingUrl = new URL(adminPage.url()).pathname;
    await admin.close();

    // The page streams after the layout, so its status cannot change; what matters is that nothing of it shows.
    await page.goto(billingUrl);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByText("billing-prod")).toHaveCount(0);
    expect((await page.request.get(`${billingUrl}/root.crt`)).status()).toBe(404);
  });
});

test.describe("revocation", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("the admin revokes the developer's client certificate; the CRL is re-signed at once", async ({ page }) => {
    await page.goto("/clusters");
    await page.getByRole("link", { name: /orders-prod/ }).click();
    const table = page.getByRole("table", { name: "Client certificates" });
    const row = table.getByRole("row", { name: /dev@example\.com/ });
    await expect(row.getByText("active")).toBeVisible();
    await row.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke app's certificate?" });
    await dialog.getByLabel("Reason").selectOption("keyCompromise");
    await dialog.getByRole("button", { name: "Revoke certificate" }).click();
    await expect(page.getByText("Revoked app's certificate; CRL 2 published")).toBeVisible();
    await expect(row.getByText("revoked")).toBeVisible();
    const crl = page.getByRole("region", { name: "Certificate revocation list" });
    await expect(crl.getByText("Revoked").locator("xpath=following-sibling::dd[1]")).toHaveText("1");
  });
});
