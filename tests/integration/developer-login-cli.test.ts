// The laptop side of developer login, run as the bundled dist/cluster-tls.mjs on Node 18 against a
// small in-process server that speaks exactly the device endpoints' contract (RFC 8628 device
// grant, access list, login certificates signed from the laptop's CSR, device self-revocation).
// It proves what the files on the laptop look like; developer-login-postgres.test.ts proves the
// same commands against the real dashboard and a real PostgreSQL.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCrl, createRootCa, signCsr, type IssuerInput } from "@/lib/pki";
import { buildAgentBundle } from "@/tests/support/agent-cli";
import { laptopEnv, runDeveloper, snapshot } from "@/tests/support/developer-cli";

let ca: IssuerInput;
let crlPem = "";
let server: http.Server;
let base = "";
let home = "";
const TOKEN = "ctlsd_fake_credential";
const state = { revoked: false, denyNext: false, polls: 0, issued: [] as string[], bodies: [] as string[] };
const cluster = {
  id: "c1",
  name: "orders-prod",
  databaseUsers: ["app", "reporting"],
  connect: { host: "db1.orders.example", port: 5433, dbname: "orders" },
  loginCertificateHours: 24,
};

async function handle(method: string, url: string, auth: string | undefined, body: string): Promise<[number, unknown]> {
  state.bodies.push(body);
  const oauth = (error: string) => [400, { error, error_description: `${error} (fake)` }] as [number, unknown];
  if (method === "POST" && url === "/api/v1/device/code") {
    const form = new URLSearchParams(body);
    if (form.get("client_id") !== "cluster-tls-cli") return oauth("invalid_client");
    state.polls = 0;
    return [
      200,
      {
        device_code: state.denyNext ? "deny" : "allow",
        user_code: "BCDF-GHJK",
        verification_uri: `${base}/device`,
        verification_uri_complete: `${base}/device?code=BCDF-GHJK`,
        expires_in: 600,
        interval: 1,
      },
    ];
  }
  if (method === "POST" && url === "/api/v1/device/token") {
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:device_code") return oauth("unsupported_grant_type");
    if (state.polls++ === 0) return oauth("authorization_pending");
    if (form.get("device_code") === "deny") return oauth("access_denied");
    return [200, { access_token: TOKEN, token_type: "Bearer", expires_in: 30 * 86400, device_id: "dev-1" }];
  }
  if (auth !== `Bearer ${TOKEN}` || state.revoked) return [401, { error: { code: "UNAUTHORIZED", message: "device credential revoked" } }];
  if (method === "GET" && url === "/api/v1/device/access")
    return [
      200,
      {
        user: { email: "dev@example.com", name: "Dev", role: "developer" },
        device: { id: "dev-1", name: "laptop", expiresAt: "2027-01-01T00:00:00Z" },
        clusters: [cluster],
      },
    ];
  if (method === "POST" && url === "/api/v1/clusters/orders-prod/login-certificates") {
    const { databaseUser, csrPem } = JSON.parse(body) as { databaseUser: string; csrPem: string };
    if (!cluster.databaseUsers.includes(databaseUser))
      return [403, { error: { code: "FORBIDDEN", message: `not granted ${databaseUser}` } }];
    const issued = await signCsr({ csr: csrPem, issuer: ca, kind: "client", policy: { allowedCommonNames: [databaseUser], maxDays: 1 } });
    state.issued.push(issued.serialHex);
    return [
      201,
      {
        serial: issued.serialHex,
        certificatePem: issued.certificatePem,
        notAfter: issued.notAfter.toISOString(),
        rootCertificatesPem: ca.certificatePem,
        crlPem,
        connect: { ...cluster.connect, user: databaseUser },
      },
    ];
  }
  if (method === "DELETE" && url === "/api/v1/device") return ((state.revoked = true), [204, null]);
  return [404, { error: { code: "NOT_FOUND", message: url } }];
}

beforeAll(async () => {
  buildAgentBundle();
  ca = await createRootCa({ subject: { CN: "orders-prod CA" }, days: 30 });
  const now = new Date();
  crlPem = (await buildCrl({ issuer: ca, entries: [], crlNumber: 1, thisUpdate: now, nextUpdate: new Date(now.getTime() + 7 * 86400_000) }))
    .pem;
  server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      void handle(request.method!, request.url!, request.headers.authorization, body).then(([status, payload]) => {
        response.writeHead(status, { "content-type": "application/json" }).end(payload === null ? undefined : JSON.stringify(payload));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  home = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-laptop-"));
}, 120_000);
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(home, { recursive: true, force: true });
});

// The developer's own service file: CRLF, comments, a section of theirs, no final newline.
const USER_SERVICES = "# work databases\r\n[legacy]\r\nhost=old.example.com\r\n# keep\r\nport=5432";
const dir = () => path.join(home, ".postgresql", "cluster-tls", "orders-prod", "app");
const env = (extra: Record<string, string> = {}) => laptopEnv(home, extra);
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe("cluster-tls login / connect / env / status / logout (bundle on Node 18, contract server)", () => {
  it("login denied in the browser: a plain sentence, exit ≠ 0, nothing stored", async () => {
    state.denyNext = true;
    const denied = await runDeveloper(["login", base], env());
    state.denyNext = false;
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/the request was denied in the browser/);
    expect(fs.existsSync(path.join(home, ".config", "cluster-tls", "credentials.json"))).toBe(false);
  });

  it("login: shows the code and URL, waits for the approval, stores the credential 0600 in a 0700 directory, lists the clusters", async () => {
    fs.writeFileSync(path.join(home, ".pg_service.conf"), USER_SERVICES);
    state.bodies.length = 0;
    const result = await runDeveloper(["login", base, "--name", "laptop-7"], env());
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain(`${base}/device?code=BCDF-GHJK`);
    expect(result.stdout).toMatch(/orders-prod\s+as app, reporting\s+\(db1\.orders\.example:5433\/orders/);
    const credentials = path.join(home, ".config", "cluster-tls", "credentials.json");
    expect(mode(credentials)).toBe(0o600);
    expect(mode(path.dirname(credentials))).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(credentials, "utf8"))).toMatchObject({ server: base, access_token: TOKEN, device_id: "dev-1" });
    expect(new URLSearchParams(state.bodies.find((b) => b.includes("client_id"))!).get("device_name")).toBe("laptop-7");
  });

  it("connect with two granted database users asks for --user", async () => {
    const result = await runDeveloper(["connect", "orders-prod"], env());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/several database users you may use: app, reporting; choose one with --user/);
  });

  it("connect --user app: key made here (0600, PKCS#8), libpq's four files, a service section; the user's file otherwise untouched", async () => {
    state.bodies.length = 0;
    const result = await runDeveloper(["connect", "orders-prod", "--user", "app"], env());
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain("psql service=orders-prod-app");
    expect(state.issued).toHaveLength(1);
    expect(state.bodies.join("")).not.toMatch(/PRIVATE KEY/);
    expect(fs.readFileSync(path.join(dir(), "client.key"), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(mode(path.join(dir(), "client.key"))).toBe(0o600);
    for (const file of ["client.crt", "root.crt", "root.crl"]) expect(fs.existsSync(path.join(dir(), file))).toBe(true);
    const check = spawnSync("openssl", ["verify", "-CAfile", path.join(dir(), "root.crt"), path.join(dir(), "client.crt")], {
      encoding: "utf8",
    });
    expect(check.stdout).toMatch(/: OK/);
    const services = fs.readFileSync(path.join(home, ".pg_service.conf"), "utf8");
    expect(services.startsWith(`${USER_SERVICES}\r\n\r\n[orders-prod-app]\r\n`)).toBe(true);
    expect(services).toContain(`sslkey=${path.join(dir(), "client.key")}\r\n`);
    expect(services).toMatch(/host=db1\.orders\.example\r\nport=5433\r\ndbname=orders\r\nuser=app\r\nsslmode=verify-full\r\n/);
  });

  it("a second connect keeps the certificate (more than a quarter of its life left) without asking the server", async () => {
    state.bodies.length = 0;
    const result = await runDeveloper(["connect", "orders-prod", "--user", "app"], env());
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toMatch(/left: kept/);
    expect(state.issued).toHaveLength(1);
    expect(state.bodies).toEqual([]);
  });

  it("with the clock moved past three quarters of the life, env renews silently (new serial, new key) and prints only the export", async () => {
    const oldKey = fs.readFileSync(path.join(dir(), "client.key"), "utf8");
    const moved = new Date(Date.now() + 20 * 3600_000).toISOString(); // 20 h into a 24 h certificate
    const result = await runDeveloper(["env", "orders-prod", "--user", "app"], env({ CLUSTER_TLS_CLI_NOW: moved }));
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toBe("export PGSERVICE='orders-prod-app'\n");
    expect(state.issued).toHaveLength(2);
    expect(state.issued[1]).not.toBe(state.issued[0]);
    expect(fs.readFileSync(path.join(dir(), "client.key"), "utf8")).not.toBe(oldKey);
  });

  it("env --vars prints libpq's variables; env --jdbc writes a DER PKCS#8 client.pk8 (0600) and a pgJDBC URL", async () => {
    const vars = await runDeveloper(["env", "orders-prod", "--user", "app", "--vars"], env());
    expect(vars.stdout).toContain(
      "export PGHOST='db1.orders.example'\nexport PGPORT='5433'\nexport PGDATABASE='orders'\nexport PGUSER='app'\nexport PGSSLMODE='verify-full'\n",
    );
    expect(vars.stdout).toContain(`export PGSSLCRL='${path.join(dir(), "root.crl")}'`);
    const jdbc = await runDeveloper(["env", "orders-prod", "--user", "app", "--jdbc"], env());
    const pk8 = path.join(dir(), "client.pk8");
    expect(mode(pk8)).toBe(0o600);
    expect(spawnSync("openssl", ["pkey", "-inform", "DER", "-in", pk8, "-noout"]).status).toBe(0);
    const url = new URL(jdbc.stdout.trim().replace(/^jdbc:/, ""));
    expect(url.host).toBe("db1.orders.example:5433");
    expect(url.pathname).toBe("/orders");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      user: "app",
      ssl: "true",
      sslmode: "verify-full",
      sslrootcert: path.join(dir(), "root.crt"),
      sslcert: path.join(dir(), "client.crt"),
      sslkey: pk8,
    });
  });

  it("status lists the server, the device and the held certificate with its time left, offline", async () => {
    const result = await runDeveloper(["status"], env());
    expect(result.stdout).toContain(`server       ${base}`);
    expect(result.stdout).toMatch(
      new RegExp(`orders-prod / app\\s+service=orders-prod-app\\s+serial ${state.issued[1]}\\s+notAfter \\S+\\s+\\d+ h \\d+ min left`),
    );
  });

  it("a revoked device cannot renew: a plain sentence and exit ≠ 0", async () => {
    state.revoked = true;
    const moved = new Date(Date.now() + 23 * 3600_000).toISOString();
    const result = await runDeveloper(["connect", "orders-prod", "--user", "app"], env({ CLUSTER_TLS_CLI_NOW: moved }));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no longer accepts this device \(revoked on the My devices page, or expired\): run `cluster-tls login/);
    expect(state.issued).toHaveLength(2);
  });

  it("a device credential past its expiry is not sent: the command says the login expired", async () => {
    const file = path.join(home, ".config", "cluster-tls", "credentials.json");
    const saved = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(saved), expiresAt: "2020-01-01T00:00:00.000Z" }), { mode: 0o600 });
    state.bodies.length = 0;
    const moved = new Date(Date.now() + 23 * 3600_000).toISOString();
    const result = await runDeveloper(["connect", "orders-prod", "--user", "app"], env({ CLUSTER_TLS_CLI_NOW: moved }));
    fs.writeFileSync(file, saved, { mode: 0o600 });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/login to .* expired on 2020-01-01T00:00:00\.000Z: run `cluster-tls login/);
    expect(state.bodies).toEqual([]);
  });

  it("logout with the server unreachable says so, and still removes exactly what connect wrote", async () => {
    const before = snapshot(path.join(home, ".postgresql"));
    expect(Object.keys(before).length).toBeGreaterThan(0);
    fs.writeFileSync(path.join(home, ".postgresql", "mine.txt"), "the developer's own file");
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const result = await runDeveloper(["logout"], env());
    expect(result.code, result.output).toBe(0);
    expect(result.stderr).toMatch(
      /could not revoke the credential on the server \(cannot reach .*\): it stays valid there until it expires or is revoked on the My devices page/,
    );
    expect(fs.readFileSync(path.join(home, ".pg_service.conf"), "utf8")).toBe(`${USER_SERVICES}\r\n`);
    expect(snapshot(path.join(home, ".postgresql"))).toEqual({ "mine.txt": Buffer.from("the developer's own file").toString("base64") });
    expect(fs.existsSync(path.join(home, ".postgresql", "cluster-tls"))).toBe(false);
    expect(fs.readdirSync(path.join(home, ".config", "cluster-tls"))).toEqual([]);
    server.listen(0, "127.0.0.1"); // afterAll closes it
  });
});
