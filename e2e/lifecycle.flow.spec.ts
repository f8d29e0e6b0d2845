import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { STORAGE_STATE } from "./support/accounts";
import { openssl, snapshot } from "./support/artifacts";
import { makeExternalRoot } from "../tests/support/external-root";

// After clusters.flow.spec.ts (the flows project runs one file at a time, in name order): the
// settings test archives billing-prod, which that file created. The rest make their own clusters.
test.describe.configure({ mode: "serial" });

test.describe("cluster lifecycle", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("cluster settings name a bad value; archiving asks for the name and keeps the cluster out of the lists", async ({ page }) => {
    await page.goto("/clusters");
    await page.getByRole("link", { name: /billing-prod/ }).click();
    await page.getByRole("link", { name: "Settings of billing-prod" }).click();
    const form = page.getByRole("form", { name: "Cluster settings" });
    await form.getByLabel("Data directory").fill("/var/lib/pg'; rm -rf /");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(form.getByText("An absolute path of letters, digits, . _ - and /")).toBeVisible();
    await form.getByLabel("Data directory").fill("/srv/postgres/16/data");
    await form.getByLabel("pg_hba.conf authentication").selectOption("scram-cert");
    // Permitted names bind issuance now and the next CA; an existing CA cannot change.
    await expect(form.getByText("the next CA (a CA rotation) carries them as name constraints")).toBeVisible();
    await form.getByLabel("Permitted names").fill("billing.internal, 10.0.0.1/8");
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(form.getByText('"10.0.0.1/8" has host bits set; the range is 10.0.0.0/8')).toBeVisible();
    await form.getByLabel("Permitted names").fill("billing.internal, 10.0.0.0/8");
    await expect(form.getByLabel("Allow wildcard names (*.name)")).not.toBeChecked();
    await form.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Saved the settings of billing-prod")).toBeVisible();
    await expect(form.getByLabel("pg_hba.conf authentication")).toHaveValue("scram-cert");
    await page.reload();
    await expect(form.getByLabel("pg_hba.conf authentication")).toHaveValue("scram-cert");
    await expect(form.getByLabel("Data directory")).toHaveValue("/srv/postgres/16/data");
    await expect(form.getByLabel("Permitted names")).toHaveValue("billing.internal, 10.0.0.0/8");
    const webhook = page.getByRole("form", { name: "Add webhook" });
    await webhook.getByLabel("Endpoint URL").fill("gopher://hooks.example.com");
    await webhook.getByRole("button", { name: "Add webhook" }).click();
    await expect(webhook.getByText("An http:// or https:// URL without user or password")).toBeVisible();
    await webhook.getByLabel("Endpoint URL").fill("https://hooks.example.com/cluster-tls");
    await webhook.getByRole("button", { name: "Add webhook" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_/);
    await expect(page.getByRole("group", { name: "Webhook https://hooks.example.com/cluster-tls" })).toContainText(
      "certificate.issued, certificate.revoked",
    );
    await snapshot(page, "cluster-settings");

    const archive = page.getByRole("form", { name: "Archive cluster" });
    await archive.getByLabel("Type billing-prod to confirm").fill("billing");
    await archive.getByRole("button", { name: "Archive cluster" }).click();
    await expect(archive.getByText("Does not match billing-prod")).toBeVisible();
    await archive.getByLabel("Type billing-prod to confirm").fill("billing-prod");
    await archive.getByRole("button", { name: "Archive cluster" }).click();
    await expect(page.getByText("Archived billing-prod; its history is kept")).toBeVisible();
    await expect(page).toHaveURL(/\/clusters$/);
    await expect(page.getByRole("link", { name: /billing-prod/ })).toHaveCount(0);
  });

  test("Settings → Jobs lists the scheduled jobs; an admin runs the CRL refresh now", async ({ page }) => {
    await page.goto("/settings");
    await expect(page.getByText(/One instance: this one/)).toBeVisible(); // the embedded database: no other servers
    await snapshot(page, "settings-instance");
    await page.goto("/settings/jobs");
    const jobs = page.getByRole("list", { name: "Scheduled jobs" });
    const crl = jobs.getByRole("listitem").filter({ hasText: "CRL refresh" });
    await expect(jobs.getByRole("listitem").filter({ hasText: "Server certificate renewal" })).toBeVisible();
    await crl.getByRole("button", { name: "Run now" }).click();
    await expect(page.getByText("CRL refresh: done")).toBeVisible();
    const runs = page.getByRole("table", { name: "Recent job runs" });
    await expect(runs.getByRole("row", { name: /CRL refresh .* succeeded checked \d+ · refreshed \d+ ada@example\.com/i })).toBeVisible();
    await snapshot(page, "jobs");
  });

  test("an admin rotates a cluster's CA through the wizard; root.crt carries both CAs in between; retire is gated on what agents report", async ({
    page,
  }) => {
    test.setTimeout(120_000); // two CA keys, two nodes and a background re-issue on a busy 2-core machine
    await page.goto("/clusters/new");
    await page.getByLabel("Name", { exact: true }).fill("rotate-me");
    await page.getByRole("button", { name: "Create cluster" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "rotate-me" })).toBeVisible();
    const addNode = page.getByRole("form", { name: "Add node" });
    for (const host of ["db1.rotate.internal", "db2.rotate.internal"]) {
      await addNode.getByLabel("Host name").fill(host);
      await addNode.getByRole("button", { name: "Add node" }).click();
      await expect(page.getByRole("link", { name: host }).first()).toBeVisible();
    }
    const clusterUrl = page.url();

    // db2 gets an agent (enrolled through the API as the bundled agent does); db1 has none.
    await page.getByRole("link", { name: "db2.rotate.internal" }).first().click();
    await page.getByRole("button", { name: "Connect agent" }).click();
    const code = (await page.getByTestId("enrollment-code").textContent())!.trim();
    const csrPem = openssl({}, [
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      "node.key",
      "-subj",
      "/CN=db2.rotate.internal",
      "-addext",
      "subjectAltName=DNS:db2.rotate.internal",
    ]);
    const enrolled = await page.request.post("/api/v1/agent/enroll", { data: { code, csrPem } });
    expect(enrolled.status(), await enrolled.text()).toBe(201);
    const { credential, certificate } = (await enrolled.json()) as { credential: string; certificate: { serial: string } };
    const oldRoot = await (await page.request.get(`${clusterUrl}/root.crt`)).text();
    // What an agent reports once its files are installed: the served serial and its root.crt's fingerprints.
    const report = (rootPem: string) =>
      page.request.post("/api/v1/agent/status", {
        headers: { Authorization: `Bearer ${credential}` },
        data: {
          agentVersion: "0.1.0",
          installedSerial: certificate.serial,
          servedSerial: certificate.serial,
          rootFingerprints: fingerprints(rootPem),
          crls: [],
          lastInstall: null,
          error: null,
        },
      });
    expect((await report(oldRoot)).status()).toBeLessThan(300);
    await page.goto(clusterUrl);

    await page.getByRole("link", { name: "Rotate CA" }).click();
    const steps = page.getByRole("list", { name: "CA rotation steps" });
    await expect(steps.locator('[aria-current="step"]')).toContainText("1. Create the new CA");
    await page.getByLabel("Key algorithm of the new CA").selectOption("ecdsa-p384");
    await page.getByRole("button", { name: "Create new CA" }).click();
    await expect(page.getByText("New CA created: publish it next.")).toBeVisible();
    await expect(steps.locator('[aria-current="step"]')).toContainText("2. Publish trust of old + new");
    await expect(steps.getByText(/CN=rotate-me Root CA 2 · ecdsa-p384 · pending/)).toBeVisible();

    await page.goto(clusterUrl);
    await expect(page.getByRole("status").filter({ hasText: "CA rotation in progress" })).toContainText("step 2 of 4");
    await page.getByRole("link", { name: "Open the rotation wizard →" }).click();

    await page.getByRole("button", { name: "Publish new CA" }).click();
    await expect(page.getByText("root.crt now carries the old and the new CA.")).toBeVisible();
    const root = await (await page.request.get(`${clusterUrl}/root.crt`)).text();
    expect(root.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const crls = await (await page.request.get(`${clusterUrl}/crl`)).text();
    expect(crls.match(/BEGIN X509 CRL/g)).toHaveLength(2);
    // The agent has not installed the new root.crt yet; db1 has no agent, so nobody can tell for it.
    const trust = page.getByRole("region", { name: "0 of 2 nodes trust the new CA" });
    await expect(trust.getByRole("listitem").filter({ hasText: "db2.rotate.internal" })).toContainText("does not trust the new CA yet");
    await expect(trust.getByRole("listitem").filter({ hasText: "db1.rotate.internal" })).toContainText("unknown (no agent");
    expect((await report(root)).status()).toBeLessThan(300);
    await expect(page.getByRole("region", { name: "1 of 2 nodes trust the new CA" })).toBeVisible({ timeout: 15_000 }); // the wizard polls

    await page.getByRole("button", { name: "Start re-issue" }).click();
    const dialog = page.getByRole("dialog", { name: "Switch to the new CA?" });
    await dialog.getByRole("button", { name: "Switch and re-issue" }).click();
    await expect(page.getByText("All 2 server certificates re-issued under the new CA.")).toBeVisible({ timeout: 30_000 });
    await expect(steps.locator('[aria-current="step"]')).toContainText("4. Retire the old CA");
    await expect(page.getByText("No active certificate depends on the old CA any more.")).toBeVisible();
    // The agent is held back: it still serves the certificate it enrolled with, from the old CA.
    const serving = page.getByRole("region", { name: "0 of 2 nodes serve a certificate from the new CA" });
    await expect(serving.getByRole("listitem").filter({ hasText: "db2.rotate.internal" })).toContainText(
      "still serves a certificate from the old CA",
    );
    const gate = page.getByRole("alert").filter({ hasText: "with an agent does not have the new CA's chain yet" });
    await expect(gate).toContainText("1 node with an agent");
    await expect(gate.getByRole("listitem")).toHaveText([/db2\.rotate\.internal: does not serve a certificate from the new CA/]);
    await snapshot(page, "ca-rotation");

    // Refused by the server, naming the node; only the agent node counts (db1 has none).
    const retire = async () => {
      await page.getByRole("button", { name: "Retire old CA" }).click();
      await page.getByRole("dialog", { name: "Retire the old CA?" }).getByRole("button", { name: "Retire old CA" }).click();
    };
    await retire();
    await expect(
      page.getByText(/1 node\(s\) with an agent do not have the new CA's chain yet: db2\.rotate\.internal .*type 1 to retire anyway/),
    ).toBeVisible();
    await gate.getByLabel("Number of nodes listed, to retire anyway").fill("2");
    await retire();
    await expect(page.getByText(/1 node\(s\) with an agent lack the new CA's chain now \(db2\.rotate\.internal\), not 2/)).toBeVisible();
    await gate.getByLabel("Number of nodes listed, to retire anyway").fill("1");
    await retire();
    await expect(page.getByText("Old CA retired: install the new root.crt and root.crl everywhere.")).toBeVisible();
    await expect(steps.locator('[aria-current="step"]')).toContainText("1. Create the new CA");
    await expect(page.getByText(/The previous rotation finished/)).toBeVisible();
    const after = await (await page.request.get(`${clusterUrl}/root.crt`)).text();
    expect(after.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    // The override is on the record: the typed count and the node it went past.
    const audit = await (await page.request.get("/audit/export?action=ca_rotation.retire&cluster=rotate-me")).text();
    expect(audit).toMatch(
      /ca_rotation\.retire.*gateOverride"":\{""nodes"":\[""db2\.rotate\.internal \(serves serial [0-9A-F]+, not from the new CA; last report [^)]+\)""\],""typedCount"":1\}/,
    );
    await page.goto(clusterUrl);
    await expect(page.getByRole("region", { name: /Certificate authority CN=rotate-me Root CA 2/ })).toBeVisible();
  });
});

/** SHA-256 of each certificate in a PEM bundle, upper-case hex, as the agent reports its root.crt. */
function fingerprints(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) =>
    createHash("sha256")
      .update(Buffer.from(m[1]!.replace(/\s+/g, ""), "base64"))
      .digest("hex")
      .toUpperCase(),
  );
}

test.describe("external CA and CSRs", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("a cluster under an external root: its CSR is signed outside, uploaded back; a node's own CSR is signed in the dialog", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const root = makeExternalRoot();
    try {
      await page.goto("/clusters/new");
      await page.getByLabel("Name", { exact: true }).fill("corp-signed");
      await page.getByRole("radio", { name: /Intermediate under an external root/ }).check();
      await page.getByRole("button", { name: "Create cluster" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "corp-signed" })).toBeVisible();
      const request = page.getByRole("region", { name: "Waiting for the intermediate CA certificate" });
      const csr = await request.getByLabel("Certificate signing request").inputValue();
      expect(csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);

      const upload = page.getByRole("form", { name: "Upload the signed intermediate CA" });
      await upload.getByLabel("Signed intermediate certificate").fill(root.signIntermediate(csr));
      await upload.getByLabel("Issuer chain up to the root").fill(root.certificatePem);
      await upload.getByRole("button", { name: "Use this certificate" }).click();
      await expect(upload.getByText(/add the CRL of/)).toBeVisible(); // named, and nothing half-done
      await upload.getByLabel("CRLs of those issuers").fill(root.crlPem());
      await upload.getByRole("button", { name: "Use this certificate" }).click();
      await expect(page.getByText(/corp-signed now signs with its intermediate CA/)).toBeVisible();
      await expect(page.getByText(/Intermediate \(signed by an external root\)/)).toBeVisible();
      expect(await (await page.request.get(`${page.url()}/root.crt`)).text()).toBe(root.certificatePem.trim() + "\n");
      await snapshot(page, "external-ca");

      const addNode = page.getByRole("form", { name: "Add node" });
      await addNode.getByLabel("Host name").fill("db1.corp.internal");
      await addNode.getByRole("button", { name: "Add node" }).click();
      await page
        .getByRole("row", { name: /db1\.corp\.internal/ })
        .getByRole("link", { name: "db1.corp.internal", exact: true })
        .click();
      await page.getByRole("button", { name: "Sign CSR" }).click(); // the header's; the dialog's own is hidden until it opens
      const dialog = page.getByRole("dialog", { name: "Sign a CSR for db1.corp.internal" });
      await dialog.getByLabel("Certificate signing request (PEM)").fill(nodeCsr("DNS:db1.corp.internal,DNS:evil.example.com"));
      await dialog.getByRole("button", { name: "Sign CSR" }).click();
      await expect(dialog.getByText(/evil\.example\.com, which this node may not hold/)).toBeVisible();
      await dialog.getByLabel("Certificate signing request (PEM)").fill(nodeCsr("DNS:db1.corp.internal"));
      await dialog.getByRole("button", { name: "Sign CSR" }).click();
      await expect(page.getByText(/Signed db1\.corp\.internal's CSR/)).toBeVisible();
      await expect(page.getByText("from a CSR (key held by the node)")).toBeVisible();
    } finally {
      root.dispose();
    }
  });
});

/** A node's CSR as its own tooling makes it: the key stays in /dev/null here. */
function nodeCsr(sans: string): string {
  return openssl({}, [
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
    "/CN=db1.corp.internal",
    "-addext",
    `subjectAltName=${sans}`,
  ]);
}

test.describe("secrets stay out of pages", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("no page's HTML or RSC payload carries key material, for the pages that show keyed objects", async ({ page }) => {
    await page.goto("/clusters");
    // Pages answer once their data is read (no streamed loading shell), so the address changes
    // when the next page arrives: wait for it before reading the URL.
    await page.getByRole("link", { name: /corp-signed/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "corp-signed" })).toBeVisible();
    const clusterUrl = page.url();
    await page
      .getByRole("row", { name: /db1\.corp\.internal/ })
      .getByRole("link", { name: "db1.corp.internal", exact: true })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: "db1.corp.internal" })).toBeVisible();
    const nodeUrl = page.url();
    for (const url of [
      clusterUrl,
      nodeUrl,
      `${clusterUrl}/settings`,
      `${clusterUrl}/rotation`,
      new URL("/certificates", clusterUrl).href,
      new URL("/settings/tokens", clusterUrl).href,
    ]) {
      for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
        const response = await page.request.get(url, { headers });
        expect(response.status(), url).toBe(200);
        const body = await response.text();
        expect(body, `${url} ${JSON.stringify(headers)}`).not.toMatch(/PRIVATE KEY|ctls1\.[A-Za-z0-9_-]+\.|whsec_[A-Za-z0-9_-]{20}/);
      }
    }
  });
});

test.describe("cross-site requests", () => {
  test.use({ storageState: STORAGE_STATE.admin });

  test("a server action replayed with a foreign Origin is refused; the same request from our origin works", async ({ page }) => {
    await page.goto("/clusters/new");
    await page.getByLabel("Name", { exact: true }).fill("csrf-probe");
    // Capture the browser's real action request (its Next-Action id and form body), without sending it.
    let captured: { url: string; headers: Record<string, string>; body: Buffer } | undefined;
    await page.route("**/clusters/new", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      captured = { url: route.request().url(), headers: route.request().headers(), body: route.request().postDataBuffer()! };
      await route.abort();
    });
    await page.getByRole("button", { name: "Create cluster" }).click();
    await expect.poll(() => captured).toBeDefined();
    await page.unroute("**/clusters/new");
    const replay = (origin: string) =>
      page.request.post(captured!.url, { headers: { ...captured!.headers, origin }, data: captured!.body });
    const exists = async () => (await (await page.request.get("/clusters")).text()).includes("csrf-probe");

    // What a cross-site form post carries: the admin's cookies, another site's Origin.
    const forged = await replay("https://evil.example");
    expect(forged.status()).toBeGreaterThanOrEqual(400);
    expect(await exists()).toBe(false);
    // The only difference was the Origin: from ours, the same bytes create the cluster.
    const genuine = await replay(new URL(captured!.url).origin);
    expect(genuine.status()).toBe(200);
    expect(await exists()).toBe(true);
  });
});
