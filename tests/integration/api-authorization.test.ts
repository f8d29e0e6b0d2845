import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { ZApiErrorBody } from "@/lib/api/openapi/error-body";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";
import { MATRIX, type Principal, type RouteCase } from "./api-authorization-matrix";

// Route handlers open the database through getRuntime(): point it at a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-api-authz-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

const tokens: Partial<Record<Principal, string>> = { malformed: "ctls_nope" };
let closeDb: () => Promise<void>;
/** Makes what a `fresh` case consumes: a node of orders-prod and its server certificate. */
let addOrdersNode: (hostname: string) => Promise<{ nodeId: string; serialHex: string }>;
let enrollOrdersAgent: (nodeId: string, hostname: string) => Promise<void>;
/** A developer login by dev@ through the device grant's services: its device credential. */
let loginDevice: () => Promise<string>;

beforeAll(async () => {
  // GET /api/v1/tools/cluster-tls.mjs serves the built agent (npm test builds it; a lone run too).
  (await import("@/tests/support/agent-cli")).buildAgentBundle();
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { schema, closeDatabase } = await import("@/lib/db");
  const { createApiToken } = await import("@/lib/services/tokens/create-api-token");
  const { revokeApiToken } = await import("@/lib/services/tokens/revoke-api-token");
  const { grantClusterAccess } = await import("@/lib/services/users/set-cluster-access");
  closeDb = closeDatabase;
  const runtime = await getRuntime();
  const db = runtime.database.db;
  const cli: Actor = { type: "cli", label: "test" };
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const clusterIds: Record<string, string> = {};
  for (const name of ["orders-prod", "billing-prod"])
    clusterIds[name] = (await createCluster(db, cli, runtime.keyRing.current, { name })).id;
  clusterIds["pending-prod"] = (await createCluster(db, cli, runtime.keyRing.current, { name: "pending-prod", ca: "csr" })).id;
  const { addNode } = await import("@/lib/services/nodes/add-node");
  const { createCsr } = await import("@/lib/pki");
  addOrdersNode = async (hostname) => {
    const { node, certificate } = await addNode(db, cli, runtime.keyRing, "orders-prod", { hostname, role: "other" });
    return { nodeId: node.id, serialHex: certificate.serialHex };
  };
  const bundled = await addNode(db, cli, runtime.keyRing, "orders-prod", { hostname: "bundle.orders.internal", role: "primary" });
  MATRIX.find((c) => c.path.includes("/bundle"))!.params.node = bundled.node.id;
  MATRIX.find((c) => c.path.includes("/reissue"))!.params.node = bundled.node.id;
  const csrCase = MATRIX.find((c) => c.path.endsWith("/csr"))!;
  csrCase.params.node = bundled.node.id;
  (csrCase.body as { csrPem: string }).csrPem = (
    await createCsr({ subject: { CN: "bundle.orders.internal" }, dnsNames: ["bundle.orders.internal"] })
  ).csrPem;
  const { createEnrollmentCode } = await import("@/lib/services/agents/create-enrollment-code");
  const { enrollAgent } = await import("@/lib/services/agents/enroll-agent");
  MATRIX.find((c) => c.path.endsWith("/enrollment"))!.params.node = bundled.node.id;
  const agentCsr = async () =>
    (await createCsr({ subject: { CN: "bundle.orders.internal" }, dnsNames: ["bundle.orders.internal"] })).csrPem;
  for (const suffix of ["/agent/enroll", "/agent/csr"])
    (MATRIX.find((c) => c.path.endsWith(suffix))!.body as { csrPem: string }).csrPem = await agentCsr();
  enrollOrdersAgent = async (nodeId, hostname) => {
    const { code: fresh } = await createEnrollmentCode(db, cli, nodeId);
    await enrollAgent(
      db,
      runtime.keyRing,
      { code: fresh, csrPem: (await createCsr({ subject: { CN: hostname }, dnsNames: [hostname] })).csrPem },
      { ipAddress: null, userAgent: null },
    );
  };
  const { code } = await createEnrollmentCode(db, cli, bundled.node.id);
  tokens.node = (
    await enrollAgent(db, runtime.keyRing, { code, csrPem: await agentCsr() }, { ipAddress: null, userAgent: null })
  ).credential;

  await db.insert(schema.users).values([
    { id: "dev-1", email: "dev@example.com", name: "Dev", role: "developer" },
    { id: "dev-2", email: "dev2@example.com", name: "Dev Two", role: "developer" },
  ]);
  await grantClusterAccess(db, cli, { userId: "dev-1", clusterId: clusterIds["orders-prod"]!, databaseUsers: ["app"] });
  for (const name of ["pending-prod", "billing-prod"])
    await grantClusterAccess(db, cli, { userId: "dev-1", clusterId: clusterIds[name]!, databaseUsers: [] });
  await grantClusterAccess(db, cli, { userId: "dev-2", clusterId: clusterIds["billing-prod"]!, databaseUsers: ["app"] });
  const here = ["orders-prod", "pending-prod"];
  const elsewhere = ["billing-prod"];
  const make = async (name: Principal, role: "admin" | "developer" | "auditor", clusters: string[], user?: string) =>
    (tokens[name] = (await createApiToken(db, cli, { name, role, clusters, days: 30, user })).token);
  for (const role of ["admin", "auditor"] as const) {
    await make(role, role, []);
    await make(`${role}Here`, role, here);
    await make(`${role}Elsewhere`, role, elsewhere);
  }
  await make("developerWith", "developer", [], "dev@example.com");
  await make("developerHere", "developer", here, "dev@example.com");
  await make("developerElsewhere", "developer", elsewhere, "dev@example.com");
  await make("developerWithout", "developer", [], "dev2@example.com");
  const revoked = await createApiToken(db, cli, { name: "revoked", role: "admin", clusters: [], days: 30 });
  await revokeApiToken(db, cli, revoked.record.id);
  tokens.revoked = revoked.token;
  const expired = await createApiToken(db, cli, { name: "expired", role: "admin", clusters: [], days: 1 });
  await db
    .update(schema.apiTokens)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(schema.apiTokens.id, expired.record.id));
  tokens.expired = expired.token;

  const { requestDeviceCode } = await import("@/lib/services/devices/request-device-code");
  const { decideDeviceAuthorization } = await import("@/lib/services/devices/decide-device-authorization");
  const { exchangeDeviceCode } = await import("@/lib/services/devices/exchange-device-code");
  const dev: Actor = { type: "user", id: "dev-1", label: "dev@example.com", role: "developer" };
  const info = { ipAddress: null, userAgent: null };
  loginDevice = async () => {
    const code = await requestDeviceCode(db, { client_id: "cluster-tls-cli", device_name: "laptop" }, info, "http://localhost");
    await decideDeviceAuthorization(db, dev, { userCode: code.user_code, decision: "approve" });
    return (
      await exchangeDeviceCode(
        db,
        { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: code.device_code, client_id: "cluster-tls-cli" },
        info,
      )
    ).access_token;
  };
  tokens.device = await loginDevice();
  (MATRIX.find((c) => c.path.endsWith("/login-certificates"))!.body as { csrPem: string }).csrPem = (
    await createCsr({ subject: { CN: "app" } })
  ).csrPem;
});

let freshCount = 0;
/** A `fresh` case with what this one call consumes (see RouteCase). */
async function prepared(routeCase: RouteCase): Promise<RouteCase> {
  if (!routeCase.fresh) return routeCase;
  if (routeCase.fresh === "device") return { ...routeCase, deviceToken: await loginDevice() };
  const hostname = `fresh${++freshCount}.orders.internal`;
  if (routeCase.fresh === "hostname") return { ...routeCase, body: { ...(routeCase.body as object), hostname } };
  const { nodeId, serialHex } = await addOrdersNode(hostname);
  if (routeCase.fresh === "agent") await enrollOrdersAgent(nodeId, hostname);
  return { ...routeCase, params: routeCase.fresh === "serial" ? { serial: serialHex } : { node: nodeId } };
}

afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function call(routeCase: RouteCase, principal: Principal) {
  const routeModule = (await import(/* @vite-ignore */ path.resolve(routeCase.file))) as Record<
    string,
    (r: NextRequest, c: unknown) => Promise<Response>
  >;
  const handler = routeModule[routeCase.method]!;
  const headers: Record<string, string> = {};
  if (principal !== "anonymous")
    headers.authorization = `Bearer ${principal === "device" && routeCase.deviceToken ? routeCase.deviceToken : tokens[principal]}`;
  const request = new NextRequest(`http://localhost${routeCase.path}`, {
    method: routeCase.method,
    headers,
    body: routeCase.body === undefined ? undefined : JSON.stringify(routeCase.body),
  });
  return handler(request, { params: Promise.resolve(routeCase.params) });
}

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? routeFiles(full) : entry.name === "route.ts" ? [path.relative(process.cwd(), full)] : [];
  });
}

describe("API authorization matrix", () => {
  it("lists every /api/v1 route and exported method", async () => {
    const listed = new Set(MATRIX.map((c) => `${c.method} ${c.file}`));
    for (const file of routeFiles("app/api/v1")) {
      const routeModule = await import(/* @vite-ignore */ path.resolve(file));
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (method in routeModule) expect(listed, `${method} ${file} has no row in MATRIX`).toContain(`${method} ${file}`);
      }
    }
  });

  const cases = MATRIX.flatMap((c) =>
    (Object.entries(c.expect) as [Principal, number][]).map(([principal, status]) => ({ ...c, principal, status })),
  );
  it.each(cases)("$method $path as $principal → $status", async ({ principal, status, ...routeCase }) => {
    const response = await call(await prepared(routeCase), principal);
    expect(response.status).toBe(status);
    if (status >= 400) {
      // The one error shape: `fields` exactly when the input broke its contract (VALIDATION_FAILED).
      const body = await response.json();
      if (routeCase.oauth) {
        expect(body).toEqual({ error: expect.any(String), error_description: expect.any(String) });
      } else {
        expect(ZApiErrorBody.safeParse(body).success, JSON.stringify(body)).toBe(true);
        expect("fields" in body.error, JSON.stringify(body)).toBe(body.error.code === "VALIDATION_FAILED");
      }
    }
  });

  it("names the problem with each refused token", async () => {
    const messages: Partial<Record<Principal, RegExp>> = {
      anonymous: /missing Authorization: Bearer <token> header/,
      malformed: /malformed API token/,
      revoked: /API token [a-z0-9]{8} was revoked/,
      expired: /API token [a-z0-9]{8} expired on /,
    };
    for (const [principal, pattern] of Object.entries(messages) as [Principal, RegExp][]) {
      const body = await (await call(MATRIX[0]!, principal)).json();
      expect(body.error.code).toBe("UNAUTHENTICATED");
      expect(body.error.message).toMatch(pattern);
    }
  });

  it("creates a cluster whose root.crt and CRL verify with openssl, and refuses a duplicate name", async () => {
    const create = MATRIX.find((c) => c.method === "POST")!;
    const duplicate = await call({ ...create, body: { name: "orders-prod" } }, "admin");
    expect(duplicate.status).toBe(409);
    expect((await duplicate.json()).error.message).toBe('a cluster named "orders-prod" already exists');
    const invalid = await call({ ...create, body: { name: "Bad Name!", keyAlgorithm: "dsa" } }, "admin");
    expect(invalid.status).toBe(400);

    const get = (suffix: string) => call({ ...MATRIX.find((c) => c.path === `/api/v1/clusters/orders-prod${suffix}`)! }, "auditor");
    const rootPem = await (await get("/root.crt")).text();
    expect(rootPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const crlResponse = await get("/crl");
    expect(crlResponse.headers.get("content-type")).toBe("application/pkix-crl");
    const ws = new OpensslWorkspace();
    try {
      expect(ws.text(rootPem)).toContain("Subject: CN = orders-prod Root CA");
      const verified = ws.run(
        "crl",
        "-in",
        ws.write("c.der", new Uint8Array(await crlResponse.arrayBuffer())),
        "-inform",
        "DER",
        "-CAfile",
        ws.write("root.pem", rootPem),
        "-noout",
        "-text",
      );
      expect(verified.out).toContain("verify OK");
      expect(verified.out).toMatch(/X509v3 CRL Number: \s+\d+/);
    } finally {
      ws.remove();
    }
  });

  it("adds a node with topology-aware SANs, lists its certificate, and names bad input", async () => {
    const nodes = MATRIX.find((c) => c.path.endsWith("/nodes"))!;
    const added = await call(
      {
        ...nodes,
        body: {
          hostname: "db2.orders.internal",
          role: "replica",
          dnsNames: ["replica.orders.internal"],
          ipAddresses: ["10.0.0.6", "fd00::6"],
        },
      },
      "admin",
    );
    expect(added.status).toBe(201);
    const node = await added.json();
    expect(node.certificate.sans).toEqual(["db2.orders.internal", "replica.orders.internal", "10.0.0.6", "fd00::6"]);
    expect(JSON.stringify(node)).not.toContain("PRIVATE KEY");

    const bad = await call({ ...nodes, body: { hostname: "db_3", role: "leader", ipAddresses: ["10.0.0.300"] } }, "admin");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/host name|Role must be|IPv4/);
    const again = await call({ ...nodes, body: { hostname: "db2.orders.internal", role: "replica" } }, "admin");
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toBe('cluster "orders-prod" already has a node named db2.orders.internal');

    const list = MATRIX.find((c) => c.path.endsWith("/certificates"))!;
    const { certificates } = await (await call(list, "auditor")).json();
    const server = certificates.find((c: { commonName: string }) => c.commonName === "db2.orders.internal");
    expect(server).toMatchObject({ kind: "server", status: "active", nodeId: node.id, daysLeft: 396 });
    expect(server.serial).toMatch(/^[0-9A-F]{31,32}$/);
  });

  it("signs a client CSR (JSON answer) and refuses a CSR for another user or with a weak key", async () => {
    const route = MATRIX.find((c) => c.path.endsWith("/client-certificates"))!;
    const { createCsr } = await import("@/lib/pki");
    const good = await createCsr({ subject: { CN: "app" } });
    const signed = await call({ ...route, body: { databaseUser: "app", csrPem: good.csrPem } }, "admin");
    expect(signed.status).toBe(201);
    expect(await signed.json()).toMatchObject({
      serial: expect.stringMatching(/^[0-9A-F]+$/),
      certificatePem: expect.stringContaining("BEGIN CERTIFICATE"),
    });
    const other = await createCsr({ subject: { CN: "postgres" } });
    const refused = await call({ ...route, body: { databaseUser: "app", csrPem: other.csrPem } }, "admin");
    expect(refused.status).toBe(422);
    expect((await refused.json()).error).toEqual({ code: "CSR_NAME_NOT_ALLOWED", message: expect.stringContaining("CN=postgres") });
    const garbage = await call({ ...route, body: { databaseUser: "app", csrPem: "not a csr" } }, "admin");
    expect(garbage.status).toBe(422);
    expect((await garbage.json()).error.code).toBe("PEM_INVALID");
  });

  it("revokes by serial in any case, with colons; a second revocation and a bad reason are named", async () => {
    const route = MATRIX.find((c) => c.path.includes("/revoke"))!;
    const added = await call(
      { ...MATRIX.find((c) => c.path.endsWith("/nodes"))!, body: { hostname: "db9.orders.internal", role: "other" } },
      "admin",
    );
    const serial: string = (await added.json()).certificate.serial;
    const colons = serial.toLowerCase().replace(/(..)(?=.)/g, "$1:");
    const badReason = await call({ ...route, params: { serial: colons }, body: { reason: "bored" } }, "admin");
    expect(badReason.status).toBe(400);
    const ok = await call({ ...route, params: { serial: colons }, body: { reason: "cessationOfOperation" } }, "admin");
    expect(await ok.json()).toMatchObject({ serial, status: "revoked", reason: "cessationOfOperation" });
    const again = await call({ ...route, params: { serial }, body: {} }, "admin");
    expect(again.status).toBe(409);
    const unknown = await call({ ...route, params: { serial: "0BADC0DE" }, body: {} }, "admin");
    expect(unknown.status).toBe(404);
    const crl = await (await call({ ...MATRIX.find((c) => c.path.endsWith("/crl"))! }, "admin")).arrayBuffer();
    const { parseCrl } = await import("@/lib/pki");
    expect(parseCrl(new Uint8Array(crl)).entries.map((e) => e.serialHex)).toContain(serial);
  });

  it("shows each token the clusters its role, its developer's grants and its scope allow", async () => {
    const names = async (principal: Principal) =>
      ((await (await call(MATRIX[0]!, principal)).json()).clusters as { name: string }[]).map((c) => c.name).sort();
    expect(await names("developerWith")).toEqual(["billing-prod", "orders-prod", "pending-prod"]);
    expect(await names("developerHere")).toEqual(["orders-prod", "pending-prod"]);
    expect(await names("developerElsewhere")).toEqual(["billing-prod"]);
    expect(await names("developerWithout")).toEqual(["billing-prod"]);
    expect(await names("adminHere")).toEqual(["orders-prod", "pending-prod"]);
    expect(await names("auditor")).toEqual(expect.arrayContaining(["billing-prod", "orders-prod"]));
    expect(await names("node")).toEqual([]);
  });

  it("gives a developer token for all clusters its developer's metrics", async () => {
    const metrics = {
      method: "GET" as const,
      path: "/api/metrics",
      file: "app/api/metrics/route.ts",
      params: {},
      expect: MATRIX[0]!.expect,
    };
    const text = await (await call(metrics, "developerWith")).text();
    expect(text).toContain('cluster="orders-prod"');
    expect(await (await call(metrics, "developerElsewhere")).text()).not.toContain('cluster="orders-prod"');
  });

  it("refuses a cluster-scoped admin token anything instance-wide, saying why", async () => {
    const create = MATRIX.find((c) => c.method === "POST" && c.path === "/api/v1/clusters")!;
    const body = await (await call({ ...create, body: { name: "by-scoped-admin" } }, "adminHere")).json();
    expect(body.error).toEqual({ code: "FORBIDDEN", message: expect.stringContaining("is scoped to clusters and acts only inside them") });
  });
});
