import { expect, test } from "@playwright/test";
import { STORAGE_STATE } from "./support/accounts";
import { openssl, snapshot, unzipDownload } from "./support/artifacts";

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
    await page.goto("/clusters");
    await snapshot(page, "clusters");
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

    await snapshot(page, "cluster");

    // The node page: details, then Re-issue supersedes the first certificate (lineage).
    await row.getByRole("link", { name: "db1.orders.internal", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "db1.orders.internal" })).toBeVisible();
    const details = page.getByRole("region", { name: "Server certificate" });
    await expect(details.getByRole("list", { name: "Subject alternative names" }).getByRole("listitem")).toHaveText([
      "db1.orders.internal",
      "pg-rw.orders.internal",
      "pg-ro.orders.internal",
      "10.0.0.5",
    ]);
    await expect(details.getByText("CN=orders-prod Root CA,O=Acme")).toBeVisible();
    const firstSerial = (await page
      .getByRole("table", { name: "Certificate history" })
      .getByRole("row")
      .nth(1)
      .getByRole("cell")
      .first()
      .textContent())!;
    await page.getByRole("button", { name: "Re-issue db1.orders.internal" }).click();
    const dialog = page.getByRole("dialog", { name: "Re-issue the certificate of db1.orders.internal?" });
    await dialog.getByRole("button", { name: "Re-issue" }).click();
    await expect(page.getByText(/Re-issued db1\.orders\.internal: certificate [0-9A-F]+\./)).toBeVisible();
    const history = page.getByRole("table", { name: "Certificate history" });
    await expect(history.getByRole("row")).toHaveCount(3);
    await expect(history.getByRole("row").nth(1)).toContainText(`Valid`);
    const secondSerial = (await history.getByRole("row").nth(1).getByRole("cell").first().textContent())!;
    // The superseded first certificate names the one that replaced it; the current one, nothing.
    await expect(history.getByRole("row").nth(2).getByRole("cell")).toHaveText([
      firstSerial,
      "Server",
      /Superseded/,
      /./,
      /./,
      secondSerial,
    ]);
    await expect(history.getByRole("row").nth(1).getByRole("cell").last()).toHaveText("—");
    // "Will verify-full pass?": a shared name passes, a stranger's name fails with the names it has.
    const check = page.getByRole("form", { name: "Check verify-full" });
    await check.getByLabel("Client dials").fill("pg-ro.orders.internal");
    await check.getByRole("button", { name: "Check" }).click();
    await expect(page.getByText("verify-full to pg-ro.orders.internal passes")).toBeVisible();
    await check.getByLabel("Client dials").fill("db9.orders.internal");
    await check.getByRole("button", { name: "Check" }).click();
    await expect(page.getByText("verify-full to db9.orders.internal fails")).toBeVisible();
    await expect(check.getByLabel("Client dials")).toHaveValue("db9.orders.internal"); // the field keeps what was checked
    await expect(page.getByText(/db9\.orders\.internal is not among the certificate's names/)).toBeVisible();
    // The live probe dials the node; db1.orders.internal does not resolve here, and says so.
    await page.getByRole("button", { name: "Probe now" }).click();
    await expect(page.getByRole("region", { name: "Live TLS probe" }).getByText("Unreachable")).toBeVisible();
    await snapshot(page, "node");

    // The server bundle: the files PostgreSQL needs, and server.crt verifies against root.crt.
    const downloadPromise = page.waitForEvent("download");
    await page.getByRole("link", { name: "Server bundle" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe("db1.orders.internal.zip");
    const files = await unzipDownload(download);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        "server.crt",
        "server.key",
        "root.crt",
        "root.crl",
        "install.sh",
        "pg_hba.conf.snippet",
        "postgresql.conf.snippet",
        "README.md",
      ]),
    );
    expect(openssl(files, ["verify", "-CAfile", "root.crt", "server.crt"]).trim()).toBe("server.crt: OK");
    expect(openssl(files, ["x509", "-in", "server.crt", "-noout", "-ext", "subjectAltName"])).toContain("DNS:pg-rw.orders.internal");
  });

  test("removing a node revokes its certificate (cessation of operation) and takes it off the cluster", async ({ page }) => {
    await page.goto("/clusters");
    await page.getByRole("link", { name: /orders-prod/ }).click();
    const form = page.getByRole("form", { name: "Add node" });
    await form.getByLabel("Host name").fill("db9.orders.internal");
    await form.getByLabel("Role").selectOption("replica");
    await form.getByRole("button", { name: "Add node" }).click();
    await page.getByRole("link", { name: "db9.orders.internal", exact: true }).click();
    await page.getByRole("button", { name: "Remove node" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove db9.orders.internal?" });
    await expect(dialog).toContainText("revoked");
    await dialog.getByRole("button", { name: "Remove node" }).click();
    await expect(page.getByText("Removed db9.orders.internal; its certificates are revoked")).toBeVisible();
    await expect(page.getByRole("heading", { level: 1, name: "orders-prod" })).toBeVisible();
    await expect(page.getByRole("row", { name: /db9\.orders\.internal/ })).toHaveCount(0);

    await page.goto("/certificates?status=revoked&q=db9");
    await expect(page.getByRole("row", { name: /db9\.orders\.internal/ }).getByText("Revoked")).toBeVisible();
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

  test("lands on their cluster and database users: one click per user downloads a bundle, which then shows with its days left", async ({
    page,
  }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Your database access" })).toBeVisible();
    const cluster = page.getByRole("region", { name: "orders-prod" });
    await expect(cluster.getByRole("button", { name: /^Download a client bundle for / })).toHaveCount(2);
    await expect(page.getByRole("region", { name: "billing-prod" })).toHaveCount(0); // not granted
    await expect(page.getByRole("heading", { name: "None yet" })).toBeVisible(); // holds nothing so far

    const downloadPromise = page.waitForEvent("download");
    await cluster.getByRole("button", { name: "Download a client bundle for reporting on orders-prod" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe("orders-prod-reporting.zip");
    const files = await unzipDownload(download);
    expect(openssl(files, ["verify", "-CAfile", "root.crt", "client.crt"]).trim()).toBe("client.crt: OK");
    expect(openssl(files, ["x509", "-in", "client.crt", "-noout", "-subject", "-nameopt", "compat"])).toContain("/CN=reporting");

    // The page refreshes: the certificate they now hold, with the cluster's 365-day lifetime left.
    const held = page.getByRole("table", { name: "Client certificates you hold" });
    const row = held.getByRole("row", { name: /^reporting orders-prod/ });
    await expect(row).toBeVisible();
    await expect(row.getByRole("cell").nth(2)).toHaveText(/^36[45]$/);
    await expect(row.getByText("Valid")).toBeVisible();
    const toast = page.getByText("Downloaded orders-prod-reporting.zip. Its private key is not kept by cluster-tls.");
    await expect(toast).toBeVisible();
    await page.getByRole("button", { name: "Close toast" }).click();
    await expect(toast).toBeHidden();
    await snapshot(page, "developer-home");
  });

  test("sees only the granted cluster; another cluster's page does not exist for them", async ({ page, browser }) => {
    test.slow(); // two bundles, a CSR, a second browser context and a dozen pages: past 30 s when other suites share the two cores
    await page.goto("/clusters");
    await expect(page.getByRole("link", { name: /orders-prod/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /billing-prod/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New cluster" })).toHaveCount(0);
    await page.getByRole("link", { name: /orders-prod/ }).click();
    await expect(page.getByRole("row", { name: /db1\.orders\.internal/ })).toBeVisible();
    const ordersPath = new URL(page.url()).pathname;
    await expect(page.getByRole("form", { name: "Add node" })).toHaveCount(0); // read-only for developers
    // Download a client bundle for a granted database user.
    const form = page.getByRole("form", { name: "Download client bundle" });
    await expect(form.getByRole("combobox", { name: /^Database user/ }).locator("option")).toHaveText(["app", "reporting"]);
    const downloadPromise = page.waitForEvent("download");
    await form.getByRole("button", { name: "Download client bundle" }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe("orders-prod-app.zip");
    await expect(page.getByText("Downloaded orders-prod-app.zip. Its private key is not kept by cluster-tls.")).toBeVisible();
    // The list refreshes with the new certificate, owned by the developer.
    await expect(
      page.getByRole("table", { name: "Client certificates" }).getByRole("row", { name: /^app dev@example\.com/ }),
    ).toBeVisible();

    // With their own key: a CSR in, a certificate (no key) out, and it chains to root.crt.
    await form.getByRole("combobox", { name: /^Database user/ }).selectOption("reporting");
    await form.getByLabel(/I have my own key/).check();
    await form
      .getByLabel("Certificate signing request (PEM)")
      .fill("-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----");
    await form.getByRole("button", { name: "Sign CSR and download" }).click();
    await expect(page.getByText("the CERTIFICATE REQUEST PEM block is not valid base64")).toBeVisible();
    const csr = openssl({}, [
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "/dev/null",
      "-subj",
      "/CN=reporting",
    ]);
    await form.getByLabel("Certificate signing request (PEM)").fill(csr);
    const csrDownload = page.waitForEvent("download");
    await form.getByRole("button", { name: "Sign CSR and download" }).click();
    const signed = await unzipDownload(await csrDownload);
    expect(Object.keys(signed).sort()).toEqual(["README.md", "client.crt", "root.crt"]);
    expect(openssl(signed, ["verify", "-CAfile", "root.crt", "client.crt"]).trim()).toBe("client.crt: OK");
    expect(openssl(signed, ["x509", "-in", "client.crt", "-noout", "-subject", "-nameopt", "compat"])).toContain("/O=Acme/CN=reporting");

    await page.goto("/certificates");
    await snapshot(page, "certificates-developer");
    await expect(page.getByRole("cell", { name: "orders-prod Root CA" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "app", exact: true })).toBeVisible();
    await expect(page.getByRole("cell", { name: "billing-prod Root CA" })).toHaveCount(0);
    await page.goto("/");
    await expect(page.getByRole("region", { name: "orders-prod" })).toBeVisible();
    await expect(page.getByRole("region", { name: /^billing-prod$/ })).toHaveCount(0);

    const admin = await browser.newContext({ storageState: STORAGE_STATE.admin });
    const adminPage = await admin.newPage();
    await adminPage.goto("/clusters");
    await adminPage.getByRole("link", { name: /billing-prod/ }).click();
    await adminPage.waitForURL(/\/clusters\/[0-9a-f-]{36}$/);
    const billingUrl = new URL(adminPage.url()).pathname;
    await admin.close();

    // A cluster they may not see is answered as one that does not exist: 404, nothing of it shown.
    const response = await page.goto(billingUrl);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByText("billing-prod")).toHaveCount(0);
    expect((await page.request.get(`${billingUrl}/root.crt`)).status()).toBe(404);
    // Their own cluster's settings exist but are not theirs to change: 403.
    expect((await page.goto(`${ordersPath}/settings`))?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don't have access to this cluster's settings" })).toBeVisible();
  });
});

test.describe("revocation", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("the admin revokes the developer's client certificate; the CRL is re-signed at once", async ({ page }) => {
    await page.goto("/clusters");
    await page.getByRole("link", { name: /orders-prod/ }).click();
    const table = page.getByRole("table", { name: "Client certificates" });
    const row = table.getByRole("row", { name: /^app dev@example\.com/ });
    await expect(row.getByText("Valid")).toBeVisible();
    const serial = (await row.getByRole("cell").nth(2).textContent())!;
    await row.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke app's certificate?" });
    await dialog.getByLabel("Reason").selectOption("keyCompromise");
    await dialog.getByRole("button", { name: "Revoke certificate" }).click();
    await expect(page.getByText(/Revoked app's certificate; CRL \d+ published/)).toBeVisible();
    await expect(table.getByRole("row", { name: /^app dev@example\.com/ })).toHaveCount(0); // the table lists active ones
    const crl = page.getByRole("region", { name: "Certificate revocation list" });
    await expect(crl.getByText("Revoked").locator("xpath=following-sibling::dd[1]")).toHaveText("3"); // db9's server and replication certificates, and app
    await snapshot(page, "cluster-after-revoke");

    // The served CRL lists it, with the reason, and its signature verifies against root.crt.
    const base = new URL(page.url()).pathname;
    const [crlPem, rootPem] = await Promise.all([
      page.request.get(`${base}/crl`).then((r) => r.text()),
      page.request.get(`${base}/root.crt`).then((r) => r.text()),
    ]);
    const text = openssl({ "root.crl": crlPem, "root.crt": rootPem }, ["crl", "-in", "root.crl", "-CAfile", "root.crt", "-noout", "-text"]);
    expect(text).toContain(`Serial Number: ${serial}`);
    expect(text).toContain("Key Compromise");

    // The Certificates page shows it revoked; the filters narrow the list.
    await page.goto("/certificates");
    await page.getByLabel("Status").selectOption("revoked");
    await page.getByLabel("Kind").selectOption("client");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/status=revoked/);
    await expect(page.getByRole("row", { name: new RegExp(serial) }).getByText("Revoked")).toBeVisible();
    // app's, and the replication client certificate revoked with replica db9.
    await expect(page.getByText("Showing 1–2 of 2 certificates")).toBeVisible();
    await snapshot(page, "certificates-revoked");
  });

  test("the overview counts clusters by status and draws one timeline across them", async ({ page }) => {
    await page.goto("/");
    const health = page.getByRole("table", { name: "Clusters by certificate status" });
    await expect(health.getByRole("row", { name: /orders-prod/ })).toBeVisible();
    const timeline = page.getByRole("region", { name: "Expiry timeline" });
    await expect(timeline.getByRole("img", { name: /Expiry timeline from/ })).toBeVisible();
    await timeline.getByRole("link", { name: "3 months" }).click();
    await expect(timeline.getByRole("link", { name: "3 months" })).toHaveAttribute("aria-current", "true");
    await timeline.getByText("Show as a table").click();
    await expect(timeline.getByRole("cell", { name: "CA orders-prod Root CA (active)" })).toBeVisible();
    await expect(timeline.getByRole("cell", { name: "CRL next update" }).first()).toBeVisible();
    await snapshot(page, "overview");
  });
});
