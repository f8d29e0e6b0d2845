// The developer-login proof: the bundled cluster-tls.mjs (Node 18) on a "laptop" (a temporary
// HOME) logs in to the dashboard's API through the RFC 8628 device grant, the developer approves
// with the same service the /device page calls, `connect` makes the key on the laptop, and the
// real psql reaches a real PostgreSQL 15 with `service=orders-prod-app` at verify-full and cert
// authentication. The server never holds that key: not in the certificate row, not in its output.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { parseCertificate } from "@/lib/pki";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { buildAgentBundle } from "@/tests/support/agent-cli";
import { laptopEnv, runDeveloper, startDeveloper } from "@/tests/support/developer-cli";
import { startRouteServer } from "@/tests/support/route-server";
import { hbaLinesFrom, serverTlsFrom, unpackBundle } from "@/tests/support/unpack-bundle";

// Route handlers open the database through getRuntime(): point it at a throwaway data dir first.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-devlogin-pg-"));
process.env.CLUSTER_TLS_DATA_DIR = path.join(dir, "data");
process.env.CLUSTER_TLS_LOG_LEVEL = "debug";
delete process.env.DATABASE_URL;

const cli: Actor = { type: "cli", label: "test" };
const developer: Actor = { type: "user", id: "dev-1", label: "dev@example.com", role: "developer", ipAddress: "127.0.0.1" };
const home = path.join(dir, "home");
const WHO = "SELECT current_user || ' ' || client_dn || ' ' || ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
// The developer's own service file, which every edit must leave as it was.
const USER_SERVICES = "# mine\n[scratch]\nhost=127.0.0.1\nport=1\n";
let runtime: Awaited<ReturnType<typeof import("@/lib/runtime/bootstrap").getRuntime>>;
let api: Awaited<ReturnType<typeof startRouteServer>>;
let pg: PostgresServer;
let closeDb: () => Promise<void>;
let serverOutput = "";
const restoreOutput: Array<() => void> = [];

/** Everything this process (the API server) logs while the test runs: console and the raw streams. */
function captureServerOutput(): void {
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[method];
    console[method] = (...parts: unknown[]) => ((serverOutput += `${parts.map(String).join(" ")}\n`), original(...parts));
    restoreOutput.push(() => (console[method] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => (
      (serverOutput += chunk.toString()),
      write(chunk, ...rest)
    )) as typeof stream.write;
    restoreOutput.push(() => (stream.write = write));
  }
}

beforeAll(async () => {
  buildAgentBundle();
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  closeDb = (await import("@/lib/db")).closeDatabase;
  runtime = await getRuntime();
  const db = runtime.database.db;
  const { schema } = await import("@/lib/db");
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { updateClusterSettings } = await import("@/lib/services/clusters/update-cluster-settings");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  const { issueServerBundle } = await import("@/lib/services/nodes/issue-server-bundle");
  const { grantClusterAccess } = await import("@/lib/services/users/set-cluster-access");
  const orders = await createCluster(db, cli, runtime.keyRing.current, { name: "orders-prod", sharedDnsNames: ["localhost"] });
  const { node } = await addNode(db, cli, runtime.keyRing, "orders-prod", {
    hostname: "db1.orders.internal",
    role: "primary",
    ipAddresses: ["127.0.0.1"],
  });
  const bundle = unpackBundle((await issueServerBundle(db, cli, runtime.keyRing, node.id)).zip, dir, "server");
  pg = await startPostgres({
    tls: serverTlsFrom(bundle),
    hba: ["local all all trust", ...hbaLinesFrom(bundle)],
    users: ["app", "reporting"],
  });
  // "Connect through" a shared name on every server certificate of the cluster, at this server's port.
  await updateClusterSettings(db, cli, "orders-prod", {
    sharedDnsNames: ["localhost"],
    loginCertHours: 12,
    connectThrough: "shared",
    connectHost: "localhost",
    connectPort: pg.port,
  });
  await db.insert(schema.users).values([{ id: "dev-1", email: "dev@example.com", name: "Dev", role: "developer" }]);
  await grantClusterAccess(db, cli, { userId: "dev-1", clusterId: orders.id, databaseUsers: ["app"] });
  api = await startRouteServer();
  fs.mkdirSync(home, { mode: 0o700 });
  fs.writeFileSync(path.join(home, ".pg_service.conf"), USER_SERVICES);
  captureServerOutput();
}, 180_000);
afterAll(async () => {
  for (const restore of restoreOutput) restore();
  await api?.close();
  await pg?.stop();
  await closeDb?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => laptopEnv(home, extra);
const certDir = path.join(home, ".postgresql", "cluster-tls", "orders-prod", "app");
function psqlService(): { ok: boolean; output: string } {
  const result = spawnSync("psql", ["-X", "-A", "-t", "-w", "service=orders-prod-app", "-c", WHO], {
    encoding: "utf8",
    env: env({ PGCONNECT_TIMEOUT: "5" }),
  });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}
const heldSerial = async () => (await parseCertificate(fs.readFileSync(path.join(certDir, "client.crt"), "utf8"))).serialHex;

/** The whole login: the command waits; the developer approves the code it shows, as /device does. */
async function login(): Promise<{ output: string; deviceId: string }> {
  const { decideDeviceAuthorization } = await import("@/lib/services/devices/decide-device-authorization");
  const running = startDeveloper(["login", api.url, "--name", "laptop-7"], env());
  const [, userCode] = await running.waitFor(/device\?code=([A-Z]{4}-[A-Z]{4})/);
  await decideDeviceAuthorization(runtime.database.db, developer, { userCode: userCode!, decision: "approve" });
  expect(await running.exited, running.output()).toBe(0);
  const credentials = JSON.parse(fs.readFileSync(path.join(home, ".config", "cluster-tls", "credentials.json"), "utf8")) as {
    device_id: string;
  };
  return { output: running.output(), deviceId: credentials.device_id };
}

let deviceId = "";
describe("developer login against the dashboard's API and a real PostgreSQL 15", () => {
  it("login → approve → connect → psql service=orders-prod-app connects at verify-full with cert auth; the key never reached the server", async () => {
    const started = performance.now();
    const loggedIn = await login();
    const loginSeconds = (performance.now() - started) / 1000;
    deviceId = loggedIn.deviceId;
    expect(loggedIn.output).toMatch(
      /dev@example\.com may connect to:\n\s+orders-prod\s+as app\s+\(localhost:\d+\/postgres, certificates last 12 h\)/,
    );
    const connected = await runDeveloper(["connect", "orders-prod"], env());
    expect(connected.code, connected.output).toBe(0);
    expect(connected.stdout).toContain("psql service=orders-prod-app");
    const first = psqlService();
    const seconds = (performance.now() - started) / 1000;
    expect(first).toEqual({ ok: true, output: "app /CN=app true" });
    console.log(
      `[developer-login] login → first psql: ${seconds.toFixed(1)} s (login incl. approval ${loginSeconds.toFixed(1)} s, of which the grant's 5 s polling interval; connect + psql ${(seconds - loginSeconds).toFixed(1)} s)`,
    );

    const services = fs.readFileSync(path.join(home, ".pg_service.conf"), "utf8");
    expect(services.startsWith(`${USER_SERVICES}\n[orders-prod-app]\n`)).toBe(true);
    expect(services).toContain("sslmode=verify-full\n");

    const key = fs.readFileSync(path.join(certDir, "client.key"), "utf8");
    const keyBody = key.split("\n")[1]!;
    const { schema } = await import("@/lib/db");
    const rows = await runtime.database.db
      .select()
      .from(schema.certificates)
      .where(eq(schema.certificates.serialHex, await heldSerial()));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "client", commonName: "app", encryptedPrivateKey: null });
    const audit = await runtime.database.db.select().from(schema.auditEvents);
    expect(JSON.stringify([rows, audit], (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(keyBody);
    // The capture works (the issuance's audit line is in it) and holds no key.
    expect(serverOutput).toMatch(/certificate\.issued .*"name":"app"/);
    expect(serverOutput).not.toContain(keyBody);
    expect(serverOutput).not.toMatch(/PRIVATE KEY/);
  });

  it("a login denied at /device: the command says so plainly, exits ≠ 0 and keeps the earlier login", async () => {
    const { decideDeviceAuthorization } = await import("@/lib/services/devices/decide-device-authorization");
    const credentials = path.join(home, ".config", "cluster-tls", "credentials.json");
    const before = fs.readFileSync(credentials, "utf8");
    const running = startDeveloper(["login", api.url], env());
    const [, userCode] = await running.waitFor(/device\?code=([A-Z]{4}-[A-Z]{4})/);
    await decideDeviceAuthorization(runtime.database.db, developer, { userCode: userCode!, decision: "deny" });
    expect(await running.exited).not.toBe(0);
    expect(running.output()).toMatch(/the request was denied in the browser: nothing was stored/);
    expect(fs.readFileSync(credentials, "utf8")).toBe(before);
  });

  it("a database user the developer was not granted: a plain refusal, exit ≠ 0, nothing written", async () => {
    const result = await runDeveloper(["connect", "orders-prod", "--user", "reporting"], env());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/may not get a certificate for database user "reporting" in orders-prod; you may use: app/);
    expect(fs.existsSync(path.join(home, ".postgresql", "cluster-tls", "orders-prod", "reporting"))).toBe(false);
  });

  it("renewal: kept while more than a quarter of its 12 h is left; with the clock 10 h on, a new serial that psql uses", async () => {
    const before = await heldSerial();
    const kept = await runDeveloper(["connect", "orders-prod"], env());
    expect(kept.stdout).toMatch(/left: kept/);
    expect(await heldSerial()).toBe(before);
    const moved = new Date(Date.now() + 10 * 3600_000).toISOString();
    const renewed = await runDeveloper(["env", "orders-prod"], env({ CLUSTER_TLS_CLI_NOW: moved }));
    expect(renewed.code, renewed.output).toBe(0);
    expect(renewed.stdout).toBe("export PGSERVICE='orders-prod-app'\n");
    expect(await heldSerial()).not.toBe(before);
    expect(psqlService()).toEqual({ ok: true, output: "app /CN=app true" });
  });

  it("a device revoked on the dashboard cannot renew: plain error, exit ≠ 0", async () => {
    const { revokeDevice } = await import("@/lib/services/devices/revoke-device");
    await revokeDevice(runtime.database.db, developer, deviceId);
    const moved = new Date(Date.now() + 11 * 3600_000).toISOString();
    const result = await runDeveloper(["connect", "orders-prod"], env({ CLUSTER_TLS_CLI_NOW: moved }));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no longer accepts this device \(revoked on the My devices page, or expired\): run `cluster-tls login/);
  });

  it("logout revokes the device on the server and removes only what connect wrote", async () => {
    const again = await login();
    await runDeveloper(["connect", "orders-prod"], env());
    const result = await runDeveloper(["logout"], env());
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain("revoked this device's credential");
    const { schema } = await import("@/lib/db");
    const [device] = await runtime.database.db.select().from(schema.devices).where(eq(schema.devices.id, again.deviceId));
    expect(device?.revokedAt).toBeInstanceOf(Date);
    expect(fs.readFileSync(path.join(home, ".pg_service.conf"), "utf8")).toBe(USER_SERVICES);
    expect(fs.existsSync(path.join(home, ".postgresql", "cluster-tls"))).toBe(false);
    expect(fs.existsSync(path.join(home, ".config", "cluster-tls", "credentials.json"))).toBe(false);
    expect(psqlService().ok).toBe(false);
  });
});
