import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { unzipSync } from "fflate";
import { STORAGE_STATE } from "./support/accounts";
import { openssl } from "./support/artifacts";

// The HTTP contract (README "HTTP API"), endpoint by endpoint, against the production server: bearer tokens
// minted on the Settings page, success shapes, and each kind of refusal naming the problem.
test.describe.configure({ mode: "serial" });

const suffix = Date.now().toString(36);
const clusterName = `api-${suffix}`;
const tokens = { admin: "", auditor: "" };
const ids = { cluster: "", node: "", serial: "" };

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({ storageState: STORAGE_STATE.admin });
  const page = await context.newPage();
  for (const role of ["admin", "auditor"] as const) {
    await page.goto("/settings/tokens");
    const form = page.getByRole("form", { name: "Create API token" });
    await form.getByLabel("Name").fill(`api spec ${role} ${suffix}`);
    await form.getByLabel("Role").selectOption(role);
    await form.getByRole("button", { name: "Create token" }).click();
    tokens[role] = (await page.getByTestId("new-token").textContent())!.trim();
  }
  await context.close();
});

const auth = (token = tokens.admin) => ({ Authorization: `Bearer ${token}` });
const post = (request: APIRequestContext, path: string, data: unknown, token?: string) =>
  request.post(`/api/v1${path}`, { headers: auth(token), data });

/**
 * A refusal in the API's error shape, naming what was wrong, never a stack trace; a contract
 * violation (VALIDATION_FAILED) also lists its problems by field.
 */
async function expectError(response: APIResponse, status: number, message: RegExp) {
  expect(response.status(), await response.text()).toBe(status);
  const body = await response.json();
  const fields = body.error?.code === "VALIDATION_FAILED" ? { fields: expect.any(Object) } : {};
  expect(body).toEqual({ error: { code: expect.any(String), message: expect.stringMatching(message), ...fields } });
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules/);
}

test("POST /clusters creates a cluster with its root CA; bad bodies and duplicates are refused", async ({ request }) => {
  await expectError(await request.post("/api/v1/clusters", { data: { name: clusterName } }), 401, /Authorization: Bearer/);
  await expectError(
    await request.post("/api/v1/clusters", { headers: { ...auth(), "content-type": "application/json" }, data: Buffer.from("{not json") }),
    400,
    /not valid JSON/,
  );
  await expectError(await post(request, "/clusters", ["an", "array"]), 400, /JSON object/);
  await expectError(await post(request, "/clusters", { name: "Bad Name!" }), 400, /lower-case letters/);
  await expectError(await post(request, "/clusters", { name: clusterName, keyAlgorithm: "dsa-1024" }), 400, /Key algorithm must be one of/);
  await expectError(await post(request, "/clusters", { name: clusterName }, tokens.auditor), 403, /.+/);

  const created = await post(request, "/clusters", { name: clusterName });
  expect(created.status()).toBe(201);
  const body = await created.json();
  expect(Object.keys(body).sort()).toEqual(["caCertificatePem", "id", "name"]);
  expect(body.name).toBe(clusterName);
  expect(openssl({ "ca.crt": body.caCertificatePem }, ["x509", "-in", "ca.crt", "-noout", "-subject"])).toContain(`${clusterName} Root CA`);
  ids.cluster = body.id;
  await expectError(await post(request, "/clusters", { name: clusterName }), 409, /already/);
});

test("POST /clusters with an external CA: an import names the bad upload, a csr cluster hands out its CSR; bodies are capped", async ({
  request,
}) => {
  const root = openssl({}, [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:P-256",
    "-nodes",
    "-keyout",
    "/dev/null",
    "-days",
    "30",
    "-subj",
    "/CN=Corp Root",
  ]);
  await expectError(
    await post(request, "/clusters", {
      name: `${clusterName}-imp`,
      ca: "import",
      caCertificatePem: root,
      caPrivateKeyPem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    }),
    400,
    /^caPrivateKeyPem: /,
  );
  await expectError(
    await post(request, "/clusters", { name: `${clusterName}-imp`, ca: "borrow" }),
    400,
    /ca must be one of generate, import, csr/,
  );

  const created = await post(request, "/clusters", { name: `${clusterName}-csr`, ca: "csr" });
  expect(created.status()).toBe(201);
  const body = await created.json();
  expect(body).toMatchObject({ caCertificatePem: null, caCsrPem: expect.stringMatching(/^-----BEGIN CERTIFICATE REQUEST-----/) });
  const waiting = await request.get(`/api/v1/clusters/${clusterName}-csr/ca-request`, { headers: auth() });
  expect((await waiting.json()).csrPem).toBe(body.caCsrPem);
  await expectError(
    await post(request, `/clusters/${clusterName}-csr/nodes`, { hostname: "db1.csr.internal", role: "primary" }),
    409,
    /waiting for its intermediate CA/,
  );
  await expectError(
    await post(request, `/clusters/${clusterName}-csr/ca-request`, { certificatePem: root }),
    400,
    /^certificatePem: this certificate is not for this cluster's key/,
  );
  await expectError(await request.get(`/api/v1/clusters/${clusterName}/ca-request`, { headers: auth() }), 404, /not waiting/);
  await expectError(await post(request, `/clusters/${clusterName}/external-crl`, { crlPem: "x" }), 409, /no external issuer/);
  await expectError(
    await post(request, "/nodes/00000000-0000-4000-8000-000000000000/reissue", { padding: "x".repeat(2 * 1024 * 1024) }),
    413,
    /larger than 1024 KiB/,
  );
});

test("GET /clusters and /clusters/{cluster} by id or name; unknown is 404", async ({ request }) => {
  const list = await (await request.get("/api/v1/clusters", { headers: auth() })).json();
  expect(JSON.stringify(list)).toContain(clusterName);
  for (const ref of [ids.cluster, clusterName]) {
    const one = await request.get(`/api/v1/clusters/${ref}`, { headers: auth(tokens.auditor) });
    expect(one.status()).toBe(200);
    expect((await one.json()).id ?? (await one.json()).cluster?.id).toBe(ids.cluster);
  }
  await expectError(await request.get("/api/v1/clusters/no-such-cluster", { headers: auth() }), 404, /no-such-cluster/);
});

test("POST /clusters/{cluster}/nodes names bad fields, issues the certificate, refuses a duplicate host", async ({ request }) => {
  await expectError(await post(request, `/clusters/${clusterName}/nodes`, { hostname: "db_1", role: "primary" }), 400, /host name/);
  await expectError(
    await post(request, `/clusters/${clusterName}/nodes`, { hostname: "db1.api.internal", role: "primary", ipAddresses: ["10.0.0.300"] }),
    400,
    /IPv4 or IPv6/,
  );
  await expectError(
    await post(request, `/clusters/${clusterName}/nodes`, { hostname: "db1.api.internal", role: "leader" }),
    400,
    /Role must be one of/,
  );
  await expectError(
    await post(request, `/clusters/no-such-cluster/nodes`, { hostname: "db1.api.internal", role: "primary" }),
    404,
    /not found/,
  );
  await expectError(
    await post(request, `/clusters/${clusterName}/nodes`, { hostname: "db1.api.internal", role: "primary" }, tokens.auditor),
    403,
    /.+/,
  );

  const created = await post(request, `/clusters/${clusterName}/nodes`, {
    hostname: "db1.api.internal",
    role: "primary",
    dnsNames: ["pg-rw.api.internal"],
    ipAddresses: ["10.0.0.5"],
  });
  expect(created.status()).toBe(201);
  const node = await created.json();
  expect(node.hostname).toBe("db1.api.internal");
  expect(node.certificate.sans).toEqual(["db1.api.internal", "pg-rw.api.internal", "10.0.0.5"]);
  ids.node = node.id;
  await expectError(
    await post(request, `/clusters/${clusterName}/nodes`, { hostname: "db1.api.internal", role: "replica" }),
    409,
    /db1\.api\.internal/,
  );
});

test("POST /nodes/{node}/reissue supersedes the certificate; GET /nodes/{node}/bundle serves a zip that verifies", async ({ request }) => {
  await expectError(
    await post(request, `/nodes/${ids.node}/reissue`, { revokePrevious: "yes" }),
    400,
    /^revokePrevious: Must be true or false/,
  );
  await expectError(await post(request, "/nodes/00000000-0000-4000-8000-000000000000/reissue", {}), 404, /not found/);
  const reissued = await post(request, `/nodes/${ids.node}/reissue`, { revokePrevious: false });
  expect(reissued.status()).toBe(200);
  const body = await reissued.json();
  expect(body.previousSerial).toMatch(/^[0-9A-F]+$/);
  expect(body.certificate.serial).not.toBe(body.previousSerial);

  const bundle = await request.get(`/api/v1/nodes/${ids.node}/bundle`, { headers: auth() });
  expect(bundle.headers()["content-type"]).toBe("application/zip");
  const files = Object.fromEntries(Object.entries(unzipSync(await bundle.body())).map(([name, data]) => [name.split("/").pop()!, data]));
  expect(Object.keys(files)).toEqual(
    expect.arrayContaining([
      "server.crt",
      "server.key",
      "root.crt",
      "root.crl",
      "install.sh",
      "postgresql.conf.snippet",
      "pg_hba.conf.snippet",
    ]),
  );
  expect(openssl(files, ["verify", "-CAfile", "root.crt", "server.crt"]).trim()).toBe("server.crt: OK");
  await expectError(await request.get(`/api/v1/nodes/${ids.node}/bundle`, { headers: auth(tokens.auditor) }), 403, /.+/);
});

test("POST /clusters/{cluster}/reissue re-issues every node (or the listed ones) in one call", async ({ request }) => {
  await expectError(await post(request, `/clusters/${clusterName}/reissue`, { nodeIds: ["db1"] }), 400, /^nodeIds\.0: a node id/);
  await expectError(
    await post(request, `/clusters/${clusterName}/reissue`, { nodeIds: ["00000000-0000-4000-8000-000000000000"] }),
    404,
    /not found in this cluster/,
  );
  await expectError(await post(request, `/clusters/${clusterName}/reissue`, {}, tokens.auditor), 403, /.+/);
  const all = await post(request, `/clusters/${clusterName}/reissue`, {});
  expect(all.status()).toBe(200);
  expect(await all.json()).toEqual({ total: 1, reissued: 1, failed: [] });
  const listed = await post(request, `/clusters/${clusterName}/reissue`, { nodeIds: [ids.node], revokePrevious: true });
  expect(await listed.json()).toEqual({ total: 1, reissued: 1, failed: [] });
});

test("POST /nodes/{node}/csr signs the node's own key within its names; the bundle then has no server.key", async ({ request }) => {
  const csrFor = (sans: string) =>
    openssl({}, [
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
      "/CN=db1.api.internal",
      "-addext",
      `subjectAltName=${sans}`,
    ]);
  await expectError(await post(request, `/nodes/${ids.node}/csr`, {}), 400, /^csrPem: /);
  await expectError(await post(request, `/nodes/${ids.node}/csr`, { csrPem: csrFor("DNS:db1.api.internal"), days: 0 }), 400, /^days: /);
  await expectError(
    await post(request, `/nodes/${ids.node}/csr`, { csrPem: csrFor("DNS:db1.api.internal,DNS:evil.example.com") }),
    422,
    /evil\.example\.com/,
  );
  await expectError(
    await post(request, `/nodes/${ids.node}/csr`, {
      csrPem: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----",
    }),
    422,
    /.+/,
  );
  await expectError(await post(request, `/nodes/${ids.node}/csr`, { csrPem: csrFor("DNS:db1.api.internal") }, tokens.auditor), 403, /.+/);

  const signed = await post(request, `/nodes/${ids.node}/csr`, { csrPem: csrFor("DNS:db1.api.internal,IP:10.0.0.5"), days: 90 });
  expect(signed.status(), await signed.text()).toBe(201);
  const body = await signed.json();
  expect(body.certificate).toMatchObject({ sans: ["db1.api.internal", "10.0.0.5"], fromCsr: true });
  const bundle = await request.get(`/api/v1/nodes/${ids.node}/bundle`, { headers: auth() });
  const names = Object.keys(unzipSync(await bundle.body())).map((name) => name.split("/").pop());
  expect(names).toContain("server.crt");
  expect(names).not.toContain("server.key");
});

test("POST /clusters/{cluster}/client-certificates: a zip with the key, or JSON for a CSR; bad input is named", async ({ request }) => {
  await expectError(await post(request, `/clusters/${clusterName}/client-certificates`, {}), 400, /^databaseUser: /);
  await expectError(
    await post(request, `/clusters/${clusterName}/client-certificates`, { databaseUser: "app", days: 400 }),
    400,
    /^days: this cluster issues client certificates for at most 365 days$/,
  );
  await expectError(
    await post(request, `/clusters/${clusterName}/client-certificates`, {
      databaseUser: "app",
      csrPem: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----",
    }),
    422,
    /.+/,
  );

  // A CSR that is not text is refused, not taken as "generate a key for me"; so is a non-number lifetime.
  await expectError(
    await post(request, `/clusters/${clusterName}/client-certificates`, { databaseUser: "app", csrPem: 42 }),
    400,
    /^csrPem: /,
  );
  await expectError(
    await post(request, `/clusters/${clusterName}/client-certificates`, { databaseUser: "app", days: "thirty" }),
    400,
    /^days: /,
  );
  const zip = await post(request, `/clusters/${clusterName}/client-certificates`, { databaseUser: "app", days: 30 });
  expect(zip.status()).toBe(201);
  const files = Object.fromEntries(Object.entries(unzipSync(await zip.body())).map(([name, data]) => [name.split("/").pop()!, data]));
  expect(Object.keys(files).sort()).toEqual(["README.md", "client.crt", "client.key", "client.pk8", "root.crt"]);
  expect(openssl(files, ["verify", "-CAfile", "root.crt", "client.crt"]).trim()).toBe("client.crt: OK");

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
  const signed = await post(request, `/clusters/${clusterName}/client-certificates`, { databaseUser: "reporting", csrPem: csr });
  expect(signed.status()).toBe(201);
  const certificate = await signed.json();
  expect(certificate.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  ids.serial = certificate.serial;
  await expectError(
    await post(request, `/clusters/${clusterName}/client-certificates`, { databaseUser: "reporting", csrPem: csr, days: 400 }),
    400,
    /^days: this cluster issues client certificates for at most 365 days$/,
  );
  await expectError(
    await post(request, `/clusters/${clusterName}/client-certificates`, { databaseUser: "app", csrPem: csr }),
    422,
    /reporting|common name|CN/i,
  );
});

test("GET /clusters/{cluster}/certificates returns the documented fields", async ({ request }) => {
  const { certificates } = await (
    await request.get(`/api/v1/clusters/${clusterName}/certificates`, { headers: auth(tokens.auditor) })
  ).json();
  const reporting = certificates.find((c: { serial: string }) => c.serial === ids.serial);
  for (const field of ["serial", "kind", "status", "subject", "sans", "notBefore", "notAfter", "daysLeft", "fingerprintSha256"])
    expect(reporting).toHaveProperty(field);
  expect(reporting).toMatchObject({ kind: "client", status: "active", databaseUser: "reporting" });
  expect(reporting.daysLeft).toBeGreaterThan(300);
});

test("POST /certificates/{serial}/revoke takes openssl's serial in any case with colons; the CRL lists it", async ({ request }) => {
  const colonLower = ids.serial.toLowerCase().replace(/(..)(?=.)/g, "$1:");
  await expectError(await post(request, `/certificates/${colonLower}/revoke`, { reason: "stolen" }), 400, /reason must be one of/);
  await expectError(await post(request, "/certificates/ABCDEF0123456789/revoke", {}), 404, /no certificate with serial/);
  await expectError(await post(request, `/certificates/${colonLower}/revoke`, {}, tokens.auditor), 403, /.+/);
  const revoked = await post(request, `/certificates/${colonLower}/revoke`, { reason: "keyCompromise" });
  expect(revoked.status()).toBe(200);
  expect(await revoked.json()).toMatchObject({ serial: ids.serial, status: "revoked", reason: "keyCompromise" });
  await expectError(await post(request, `/certificates/${ids.serial}/revoke`, {}), 409, /already revoked/);

  const der = await request.get(`/api/v1/clusters/${clusterName}/crl`, { headers: auth(tokens.auditor) });
  expect(der.headers()["content-type"]).toBe("application/pkix-crl");
  expect(openssl({ "root.crl": await der.body() }, ["crl", "-inform", "DER", "-in", "root.crl", "-noout", "-text"])).toContain(
    `Serial Number: ${ids.serial}`,
  );
  const pem = await request.get(`/api/v1/clusters/${clusterName}/crl?format=pem`, { headers: auth() });
  expect(await pem.text()).toMatch(/^-----BEGIN X509 CRL-----/);
  const root = await request.get(`/api/v1/clusters/${clusterName}/root.crt`, { headers: auth() });
  expect(await root.text()).toMatch(/^-----BEGIN CERTIFICATE-----/);
});

test("DELETE /nodes/{node} revokes its certificate; the node is then gone", async ({ request }) => {
  const removed = await request.delete(`/api/v1/nodes/${ids.node}`, { headers: auth() });
  expect(removed.status()).toBe(200);
  expect((await removed.json()).revokedSerials).toHaveLength(1);
  await expectError(await request.delete(`/api/v1/nodes/${ids.node}`, { headers: auth() }), 404, /not found/);
});
