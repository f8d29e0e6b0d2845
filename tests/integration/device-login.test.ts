import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";
import { startRouteServer } from "@/tests/support/route-server";

// Route handlers open the database through getRuntime(): point it at a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-device-login-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

const cli: Actor = { type: "cli", label: "test" };
const developer: Actor = { type: "user", id: "dev-1", label: "dev@example.com", role: "developer", ipAddress: "192.0.2.10" };
const GRANT = "urn:ietf:params:oauth:grant-type:device_code";
let runtime: Awaited<ReturnType<typeof import("@/lib/runtime/bootstrap").getRuntime>>;
let server: Awaited<ReturnType<typeof startRouteServer>>;
let closeDb: () => Promise<void>;
const openssl = new OpensslWorkspace();

beforeAll(async () => {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  closeDb = (await import("@/lib/db")).closeDatabase;
  runtime = await getRuntime();
  const db = runtime.database.db;
  const { schema } = await import("@/lib/db");
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  const { grantClusterAccess } = await import("@/lib/services/users/set-cluster-access");
  const orders = await createCluster(db, cli, runtime.keyRing.current, { name: "orders-prod" });
  await createCluster(db, cli, runtime.keyRing.current, { name: "billing-prod" });
  await createCluster(db, cli, runtime.keyRing.current, { name: "hidden-prod" });
  await addNode(db, cli, runtime.keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "primary" });
  await db.insert(schema.users).values([{ id: "dev-1", email: "dev@example.com", name: "Dev", role: "developer" }]);
  await grantClusterAccess(db, cli, { userId: "dev-1", clusterId: orders.id, databaseUsers: ["app"] });
  const billing = (await db.select().from(schema.clusters).where(eq(schema.clusters.name, "billing-prod")))[0]!;
  await grantClusterAccess(db, cli, { userId: "dev-1", clusterId: billing.id, databaseUsers: ["report"] });
  server = await startRouteServer();
});
afterEach(() => vi.useRealTimers());
afterAll(async () => {
  await server?.close();
  await closeDb?.();
  openssl.remove();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The laptop's side of RFC 8628: form-encoded as the RFC sends it (or JSON). */
async function post(route: string, body: Record<string, string>, { json = false } = {}) {
  const response = await fetch(`${server.url}/api/v1${route}`, {
    method: "POST",
    headers: {
      "content-type": json ? "application/json" : "application/x-www-form-urlencoded",
      "x-forwarded-host": "pki.example.com",
      "x-forwarded-proto": "https",
    },
    body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const requestCode = (extra: Record<string, string> = {}) =>
  post("/device/code", { client_id: "cluster-tls-cli", device_name: "laptop-7", ...extra });
const poll = (deviceCode: string) => post("/device/token", { grant_type: GRANT, device_code: deviceCode, client_id: "cluster-tls-cli" });
async function decide(userCode: string, decision: "approve" | "deny", actor: Actor = developer) {
  const { decideDeviceAuthorization } = await import("@/lib/services/devices/decide-device-authorization");
  return decideDeviceAuthorization(runtime.database.db, actor, { userCode, decision });
}
async function withDevice(route: string, credential: string, init: { method?: string; body?: unknown } = {}) {
  const response = await fetch(`${server.url}/api/v1${route}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${credential}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of several shapes, checked field by field
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}
/** A login through the whole grant; returns the device credential. */
async function login(extra: Record<string, string> = {}) {
  const code = (await requestCode(extra)).body as { device_code: string; user_code: string };
  await decide(code.user_code, "approve");
  const token = await poll(code.device_code);
  expect(token.status).toBe(200);
  return token.body as { access_token: string; device_id: string };
}
async function csrFor(databaseUser: string) {
  const { createCsr } = await import("@/lib/pki");
  return createCsr({ subject: { CN: databaseUser } });
}

describe("developer login: the RFC 8628 device grant", () => {
  it("code → pending → approved at /device → a device credential once; a second exchange is invalid_grant", async () => {
    const code = await requestCode({ scope: "orders-prod billing-prod" });
    expect(code.status).toBe(200);
    const body = code.body as Record<string, string | number>;
    expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(body).toMatchObject({
      verification_uri: "https://pki.example.com/device",
      verification_uri_complete: `https://pki.example.com/device?code=${body.user_code}`,
      expires_in: 600,
      interval: 5,
    });
    expect(await poll(String(body.device_code))).toEqual({
      status: 400,
      body: { error: "authorization_pending", error_description: expect.any(String) },
    });

    const { findDeviceAuthorization } = await import("@/lib/services/devices/find-device-authorization");
    const view = await findDeviceAuthorization(runtime.database.db, developer, String(body.user_code).toLowerCase().replace("-", " "));
    expect(view).toMatchObject({
      deviceName: "laptop-7",
      requestedClusters: [
        { name: "orders-prod", available: true },
        { name: "billing-prod", available: true },
      ],
    });
    await decide(String(body.user_code), "approve");

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 5_000 });
    const token = await poll(String(body.device_code));
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      access_token: expect.stringMatching(/^ctlsd_[a-z0-9]{8}_/),
      token_type: "Bearer",
      device_id: expect.any(String),
    });
    expect(Number(token.body.expires_in)).toBeGreaterThan(30 * 86_400 - 60);
    vi.setSystemTime(Date.now() + 5_000);
    expect((await poll(String(body.device_code))).body.error).toBe("invalid_grant");

    const { schema } = await import("@/lib/db");
    const [device] = await runtime.database.db
      .select()
      .from(schema.devices)
      .where(eq(schema.devices.id, String(token.body.device_id)));
    expect(device).toMatchObject({ userId: "dev-1", name: "laptop-7", revokedAt: null });
    expect(device!.credentialHash).not.toContain(String(token.body.access_token).slice(15)); // stored hashed
    const audit = await runtime.database.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "device.approved"));
    expect(audit[0]).toMatchObject({ actorType: "user", actorId: "dev-1", details: expect.objectContaining({ deviceName: "laptop-7" }) });
  });

  it("accepts JSON too, and refuses a wrong client, grant type or missing parameter in the OAuth shape", async () => {
    const code = await post("/device/code", { client_id: "cluster-tls-cli" }, { json: true });
    expect(code.status).toBe(200);
    expect(await post("/device/code", { client_id: "someone-else" })).toEqual({
      status: 400,
      body: { error: "invalid_client", error_description: expect.stringContaining("someone-else") },
    });
    expect((await post("/device/code", { client_id: "cluster-tls-cli", device_name: "x".repeat(101) })).body.error).toBe("invalid_request");
    expect((await post("/device/token", { grant_type: "password", device_code: "x", client_id: "cluster-tls-cli" })).body.error).toBe(
      "unsupported_grant_type",
    );
    expect((await post("/device/token", { grant_type: GRANT, client_id: "cluster-tls-cli" })).body).toMatchObject({
      error: "invalid_request",
      error_description: expect.stringContaining("device_code"),
    });
    expect((await post("/device/token", { grant_type: GRANT, device_code: "made-up", client_id: "cluster-tls-cli" })).body.error).toBe(
      "invalid_grant",
    );
    const twice = await fetch(`${server.url}/api/v1/device/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=${encodeURIComponent(GRANT)}&device_code=a&device_code=b&client_id=cluster-tls-cli`,
    });
    expect(await twice.json()).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("more than once") });
  });

  it("slow_down when polled sooner than the interval; each one adds 5 s to the interval the server enforces", async () => {
    const code = (await requestCode()).body as { device_code: string };
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    expect((await poll(code.device_code)).body.error).toBe("authorization_pending");
    vi.setSystemTime(Date.now() + 2_000);
    expect((await poll(code.device_code)).body.error).toBe("slow_down");
    vi.setSystemTime(Date.now() + 6_000); // 6 s < the 10 s interval now
    expect((await poll(code.device_code)).body).toMatchObject({ error: "slow_down", error_description: expect.stringContaining("15 s") });
    vi.setSystemTime(Date.now() + 15_000);
    expect((await poll(code.device_code)).body.error).toBe("authorization_pending");
  });

  it("expired_token past expires_in (a moved clock), for polling and for approval alike", async () => {
    const code = (await requestCode()).body as { device_code: string; user_code: string };
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 601_000 });
    expect((await poll(code.device_code)).body).toMatchObject({ error: "expired_token" });
    await expect(decide(code.user_code, "approve")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("expired"),
    });
  });

  it("access_denied after the user denies; the code can then not be approved", async () => {
    const code = (await requestCode()).body as { device_code: string; user_code: string };
    await decide(code.user_code, "deny");
    expect((await poll(code.device_code)).body.error).toBe("access_denied");
    await expect(decide(code.user_code, "approve")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a wrong user code is a clear 'not found'; a login asking only for clusters the user cannot see cannot be approved", async () => {
    await expect(decide("BCDF-GHJK", "approve")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("no login is waiting for code BCDF-GHJK"),
    });
    await expect(decide("hello", "approve")).rejects.toMatchObject({
      message: expect.stringContaining("not a code from cluster-tls login"),
    });
    const code = (await requestCode({ scope: "hidden-prod" })).body as { user_code: string };
    await expect(decide(code.user_code, "approve")).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("hidden-prod"),
    });
  });
});

describe("developer login: the device credential", () => {
  it("reads what it may reach, gets a login certificate for its own key that openssl verifies (clientAuth, CN = database user, hours)", async () => {
    const { access_token: credential, device_id } = await login();
    const access = await withDevice("/device/access", credential);
    expect(access.status).toBe(200);
    expect(access.body.user).toEqual({ email: "dev@example.com", name: "Dev", role: "developer" });
    expect(access.body.device).toMatchObject({ id: device_id, name: "laptop-7" });
    expect(access.body.clusters).toEqual([
      expect.objectContaining({ name: "billing-prod", databaseUsers: ["report"], connect: null, loginCertificateHours: 12 }),
      expect.objectContaining({
        name: "orders-prod",
        databaseUsers: ["app"],
        connect: { host: "db1.orders.internal", port: 5432, dbname: "postgres" },
        loginCertificateHours: 12,
      }),
    ]);

    const csr = await csrFor("app");
    const issued = await withDevice("/clusters/orders-prod/login-certificates", credential, {
      method: "POST",
      body: { databaseUser: "app", csrPem: csr.csrPem },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.connect).toEqual({ host: "db1.orders.internal", port: 5432, dbname: "postgres", user: "app" });
    expect(issued.body.crlPem).toMatch(/BEGIN X509 CRL/);
    expect(JSON.stringify(issued.body)).not.toContain("PRIVATE KEY");
    const hoursLeft = (Date.parse(issued.body.notAfter) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(11.9);
    expect(hoursLeft).toBeLessThanOrEqual(12);
    const root = openssl.write("root.crt", issued.body.rootCertificatesPem);
    const leaf = openssl.write("client.crt", issued.body.certificatePem);
    const crl = openssl.write("root.crl", issued.body.crlPem);
    expect(openssl.run("verify", "-CAfile", root, "-purpose", "sslclient", leaf)).toMatchObject({ status: 0 });
    expect(openssl.run("verify", "-crl_check", "-CAfile", root, "-CRLfile", crl, leaf)).toMatchObject({ status: 0 });
    const text = openssl.text(issued.body.certificatePem);
    expect(text).toContain("TLS Web Client Authentication");
    expect(text).toMatch(/Subject:.*CN ?= ?app/);
    // The key made "on the laptop" matches the certificate; the server has no copy.
    const pub = (pem: string, kind: "x509" | "pkey") =>
      openssl.run(
        kind,
        "-in",
        openssl.write(`${kind}-${Math.random()}.pem`, pem),
        "-pubout",
        ...(kind === "x509" ? ["-noout", "-pubkey"] : []),
      ).out;
    expect(pub(issued.body.certificatePem, "x509")).toBe(pub(csr.privateKeyPem, "pkey"));

    const { schema } = await import("@/lib/db");
    const db = runtime.database.db;
    const [row] = await db.select().from(schema.certificates).where(eq(schema.certificates.serialHex, issued.body.serial));
    expect(row).toMatchObject({
      kind: "client",
      databaseUser: "app",
      deviceId: device_id,
      ownerUserId: "dev-1",
      encryptedPrivateKey: null,
      fromCsr: true,
    });
    const [audit] = await db
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, "certificate.issued"), eq(schema.auditEvents.objectId, row!.id)));
    expect(audit).toMatchObject({
      actorType: "device",
      actorId: device_id,
      details: expect.objectContaining({ deviceId: device_id, serial: issued.body.serial }),
    });
    // No place for a login's key: the device tables have no key column at all.
    const columns = (await db.execute(
      sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN ('devices', 'device_authorizations') AND column_name LIKE '%key%'`,
    )) as unknown as { rows: unknown[] };
    expect(columns.rows).toEqual([]);
  });

  it("403 with the reason for a database user not granted; 404 for a cluster the user cannot see; 422 for a bad CSR", async () => {
    const { access_token: credential } = await login();
    const refused = await withDevice("/clusters/orders-prod/login-certificates", credential, {
      method: "POST",
      body: { databaseUser: "postgres", csrPem: (await csrFor("postgres")).csrPem },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(
      /may not log in as database user "postgres" on orders-prod: not granted to this user \(granted: app\)/,
    );
    const hidden = await withDevice("/clusters/hidden-prod/login-certificates", credential, {
      method: "POST",
      body: { databaseUser: "app", csrPem: (await csrFor("app")).csrPem },
    });
    expect(hidden.status).toBe(404);
    const mismatch = await withDevice("/clusters/orders-prod/login-certificates", credential, {
      method: "POST",
      body: { databaseUser: "app", csrPem: (await csrFor("report")).csrPem },
    });
    expect(mismatch.status).toBe(422);
    const garbage = await withDevice("/clusters/orders-prod/login-certificates", credential, {
      method: "POST",
      body: { databaseUser: "app", csrPem: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n" },
    });
    expect(garbage.status).toBe(422);
  });

  it("a login scoped to one cluster reaches only that one", async () => {
    const { access_token: credential } = await login({ scope: "billing-prod" });
    const access = await withDevice("/device/access", credential);
    expect(access.body.clusters.map((c: { name: string }) => c.name)).toEqual(["billing-prod"]);
    const outside = await withDevice("/clusters/orders-prod/login-certificates", credential, {
      method: "POST",
      body: { databaseUser: "app", csrPem: (await csrFor("app")).csrPem },
    });
    expect(outside.status).toBe(404);
  });

  it("may do nothing else: other API routes refuse a device credential", async () => {
    const { access_token: credential } = await login();
    const clusters = await withDevice("/clusters", credential);
    expect(clusters.status).toBe(403);
    expect(clusters.body.error.message).toMatch(/may only use \/api\/v1\/device and login certificates/);
    expect(
      (await withDevice("/clusters/orders-prod/client-certificates", credential, { method: "POST", body: { databaseUser: "app" } })).status,
    ).toBe(403);
  });

  it("revoked on the dashboard, or by its own logout, or expired → 401, and it cannot get another certificate", async () => {
    const { revokeDevice } = await import("@/lib/services/devices/revoke-device");
    const first = await login();
    await revokeDevice(runtime.database.db, developer, first.device_id);
    const afterRevoke = await withDevice("/clusters/orders-prod/login-certificates", first.access_token, {
      method: "POST",
      body: { databaseUser: "app", csrPem: (await csrFor("app")).csrPem },
    });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error.message).toMatch(/was revoked on/);

    const second = await login();
    expect((await withDevice("/device", second.access_token, { method: "DELETE" })).status).toBe(204);
    expect((await withDevice("/device/access", second.access_token)).status).toBe(401);

    const third = await login();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 31 * 86_400_000 });
    expect((await withDevice("/device/access", third.access_token)).body.error.message).toMatch(/expired on/);
    vi.useRealTimers();

    expect((await withDevice("/device/access", "ctlsd_abcdefgh_" + "x".repeat(43))).status).toBe(401);
    const { schema } = await import("@/lib/db");
    const revoked = await runtime.database.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "device.revoked"));
    expect(revoked.map((r) => r.actorType).sort()).toEqual(["device", "user"]);
  });

  it("another developer can neither see nor revoke someone's device", async () => {
    const { revokeDevice } = await import("@/lib/services/devices/revoke-device");
    const { device_id } = await login();
    const other: Actor = { type: "user", id: "dev-2", label: "other@example.com", role: "developer" };
    await expect(revokeDevice(runtime.database.db, other, device_id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("developer login: the cluster's login settings", () => {
  it("login certificate lifetime (1–168 h) and connect through primary | PgBouncer node | shared name decide what connect gets", async () => {
    const { updateClusterSettings } = await import("@/lib/services/clusters/update-cluster-settings");
    const { addNode } = await import("@/lib/services/nodes/add-node");
    const db = runtime.database.db;
    await expect(updateClusterSettings(db, cli, "orders-prod", { loginCertHours: 169 })).rejects.toMatchObject({
      fieldErrors: { loginCertHours: [expect.stringContaining("at most 168")] },
    });
    await expect(updateClusterSettings(db, cli, "orders-prod", { connectThrough: "shared" })).rejects.toMatchObject({
      fieldErrors: { connectHost: expect.any(Array) },
    });
    await expect(
      updateClusterSettings(db, cli, "orders-prod", {
        connectThrough: "pgbouncer",
        connectNodeId: (await addNode(db, cli, runtime.keyRing, "orders-prod", { hostname: "db2.orders.internal", role: "replica" })).node
          .id,
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining("not a PgBouncer") });
    const bouncer = (await addNode(db, cli, runtime.keyRing, "orders-prod", { hostname: "pool.orders.internal", role: "pgbouncer" })).node;
    await updateClusterSettings(db, cli, "orders-prod", {
      connectThrough: "pgbouncer",
      connectNodeId: bouncer.id,
      connectDbname: "orders",
      loginCertHours: 1,
    });

    const { access_token: credential } = await login();
    const orders = (await withDevice("/device/access", credential)).body.clusters.find((c: { name: string }) => c.name === "orders-prod");
    expect(orders).toMatchObject({ connect: { host: "pool.orders.internal", port: 5432, dbname: "orders" }, loginCertificateHours: 1 });
    const issued = await withDevice("/clusters/orders-prod/login-certificates", credential, {
      method: "POST",
      body: { databaseUser: "app", csrPem: (await csrFor("app")).csrPem },
    });
    expect((Date.parse(issued.body.notAfter) - Date.now()) / 3_600_000).toBeLessThanOrEqual(1);
    expect(issued.body.connect).toEqual({ host: "pool.orders.internal", port: 5432, dbname: "orders", user: "app" });

    await updateClusterSettings(db, cli, "orders-prod", { connectThrough: "shared", connectHost: "rw.orders.internal", connectPort: 6432 });
    const shared = (await withDevice("/device/access", credential)).body.clusters.find((c: { name: string }) => c.name === "orders-prod");
    expect(shared).toMatchObject({ connect: { host: "rw.orders.internal", port: 6432, dbname: "postgres" }, loginCertificateHours: 12 });
  });
});
