import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { ZApiErrorBody } from "@/lib/api/openapi/error-body";
import type { Operation } from "@/lib/api/openapi/operation";
import { nulPath } from "@/lib/validations/postgres-text";

// Route handlers open the database through getRuntime(): point it at a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-api-fuzz-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

/**
 * Property: no generated request makes /api/v1 answer 5xx or anything but the API's error
 * shape — ≥ 1,000 inputs per surface: JSON bodies of every POST route, path parameters of every
 * route, query strings of the GET routes. Each refusal names its problem (non-empty message).
 */
const RUNS = 1_000;
/**
 * `as: "node"`/`"device"`: called with a node credential (the agent endpoints) or a developer
 * login's device credential instead of the admin token. `oauth`: an RFC 8628 endpoint, whose
 * errors are `{error, error_description}` and whose bodies may also be form-encoded.
 */
type Route = {
  method: "GET" | "POST" | "DELETE";
  file: string;
  params: string[];
  fields?: string[];
  as?: "node" | "device";
  oauth?: boolean;
};
const ROUTES: Route[] = [
  {
    method: "POST",
    file: "app/api/v1/clusters/route.ts",
    params: [],
    fields: [
      "name",
      "keyAlgorithm",
      "ca",
      "caCertificatePem",
      "caPrivateKeyPem",
      "sharedDnsNames",
      "allowWildcardNames",
      "permittedNames",
      "serverCertDays",
      "crlDays",
    ],
  },
  {
    method: "POST",
    file: "app/api/v1/clusters/[cluster]/nodes/route.ts",
    params: ["cluster"],
    fields: ["hostname", "role", "dnsNames", "ipAddresses", "port"],
  },
  {
    method: "POST",
    file: "app/api/v1/clusters/[cluster]/client-certificates/route.ts",
    params: ["cluster"],
    fields: ["databaseUser", "days", "csrPem", "p12Password"],
  },
  { method: "POST", file: "app/api/v1/clusters/[cluster]/reissue/route.ts", params: ["cluster"], fields: ["nodeIds", "revokePrevious"] },
  {
    method: "POST",
    file: "app/api/v1/clusters/[cluster]/ca-request/route.ts",
    params: ["cluster"],
    fields: ["certificatePem", "chainPem", "crlPem"],
  },
  { method: "POST", file: "app/api/v1/clusters/[cluster]/external-crl/route.ts", params: ["cluster"], fields: ["crlPem"] },
  {
    method: "POST",
    file: "app/api/v1/clusters/[cluster]/rotation/[step]/route.ts",
    params: ["cluster", "step"],
    fields: ["keyAlgorithm", "confirm", "confirmLaggingNodes"],
  },
  { method: "POST", file: "app/api/v1/certificates/[serial]/revoke/route.ts", params: ["serial"], fields: ["reason"] },
  { method: "POST", file: "app/api/v1/nodes/[node]/reissue/route.ts", params: ["node"], fields: ["revokePrevious"] },
  { method: "POST", file: "app/api/v1/nodes/[node]/csr/route.ts", params: ["node"], fields: ["csrPem", "days", "revokePrevious"] },
  { method: "POST", file: "app/api/v1/nodes/[node]/enrollment/route.ts", params: ["node"] },
  { method: "POST", file: "app/api/v1/agent/enroll/route.ts", params: [], fields: ["code", "csrPem"] },
  { method: "POST", file: "app/api/v1/agent/csr/route.ts", params: [], fields: ["csrPem"], as: "node" },
  {
    method: "POST",
    file: "app/api/v1/agent/status/route.ts",
    params: [],
    fields: ["agentVersion", "installedSerial", "servedSerial", "rootFingerprints", "crls", "lastInstall", "error", "pollIntervalSeconds"],
    as: "node",
  },
  { method: "GET", file: "app/api/v1/agent/state/route.ts", params: [], as: "node" },
  { method: "POST", file: "app/api/v1/device/code/route.ts", params: [], fields: ["client_id", "device_name", "scope"], oauth: true },
  { method: "POST", file: "app/api/v1/device/token/route.ts", params: [], fields: ["grant_type", "device_code", "client_id"], oauth: true },
  { method: "GET", file: "app/api/v1/device/access/route.ts", params: [], as: "device" },
  {
    method: "POST",
    file: "app/api/v1/clusters/[cluster]/login-certificates/route.ts",
    params: ["cluster"],
    fields: ["databaseUser", "csrPem"],
    as: "device",
  },
  { method: "GET", file: "app/api/v1/tools/cluster-tls.mjs/route.ts", params: [] },
  { method: "GET", file: "app/api/v1/tools/cluster-tls.mjs.sha256/route.ts", params: [] },
  { method: "GET", file: "app/api/v1/openapi.json/route.ts", params: [] },
  { method: "GET", file: "app/api/v1/clusters/route.ts", params: [] },
  { method: "GET", file: "app/api/v1/clusters/[cluster]/route.ts", params: ["cluster"] },
  { method: "GET", file: "app/api/v1/clusters/[cluster]/crl/route.ts", params: ["cluster"] },
  { method: "GET", file: "app/api/v1/clusters/[cluster]/root.crt/route.ts", params: ["cluster"] },
  { method: "GET", file: "app/api/v1/clusters/[cluster]/certificates/route.ts", params: ["cluster"] },
  { method: "GET", file: "app/api/v1/clusters/[cluster]/rotation/route.ts", params: ["cluster"] },
  { method: "GET", file: "app/api/v1/clusters/[cluster]/ca-request/route.ts", params: ["cluster"] },
  { method: "GET", file: "app/api/v1/nodes/[node]/bundle/route.ts", params: ["node"] },
  { method: "DELETE", file: "app/api/v1/nodes/[node]/route.ts", params: ["node"] },
  { method: "DELETE", file: "app/api/v1/nodes/[node]/agent/route.ts", params: ["node"] },
];

let token = "";
let nodeCredential = "";
let deviceCredential = "";
const known: Record<string, string[]> = {
  cluster: ["fuzz-prod"],
  node: [],
  serial: [],
  step: ["create", "publish", "reissue", "retire", "cancel"],
};
let closeDb: () => Promise<void>;

beforeAll(async () => {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { closeDatabase } = await import("@/lib/db");
  const { createApiToken } = await import("@/lib/services/tokens/create-api-token");
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  closeDb = closeDatabase;
  const runtime = await getRuntime();
  const cli: Actor = { type: "cli", label: "fuzz" };
  const cluster = await createCluster(runtime.database.db, cli, runtime.keyRing.current, { name: "fuzz-prod" });
  known.cluster!.push(cluster.id);
  for (const hostname of ["db1.fuzz.internal", "db2.fuzz.internal"]) {
    const { node, certificate } = await addNode(runtime.database.db, cli, runtime.keyRing, "fuzz-prod", { hostname, role: "primary" });
    known.node!.push(node.id);
    known.serial!.push(certificate.serialHex);
  }
  token = (await createApiToken(runtime.database.db, cli, { name: "fuzz", role: "admin", clusters: [], days: 1 })).token;
  const { createEnrollmentCode } = await import("@/lib/services/agents/create-enrollment-code");
  const { enrollAgent } = await import("@/lib/services/agents/enroll-agent");
  const { createCsr } = await import("@/lib/pki");
  const { code } = await createEnrollmentCode(runtime.database.db, cli, known.node![0]!);
  const { csrPem } = await createCsr({ subject: { CN: "db1.fuzz.internal" }, dnsNames: ["db1.fuzz.internal"] });
  nodeCredential = (await enrollAgent(runtime.database.db, runtime.keyRing, { code, csrPem }, { ipAddress: null, userAgent: null }))
    .credential;
  // A developer login of an admin (it may ask for any database user), through the device grant's services.
  const { schema } = await import("@/lib/db");
  const { requestDeviceCode } = await import("@/lib/services/devices/request-device-code");
  const { decideDeviceAuthorization } = await import("@/lib/services/devices/decide-device-authorization");
  const { exchangeDeviceCode } = await import("@/lib/services/devices/exchange-device-code");
  await runtime.database.db.insert(schema.users).values({ id: "fuzz-admin", email: "fuzz@example.com", name: "Fuzz", role: "admin" });
  const info = { ipAddress: null, userAgent: null };
  const login = await requestDeviceCode(runtime.database.db, { client_id: "cluster-tls-cli" }, info, "http://localhost");
  await decideDeviceAuthorization(
    runtime.database.db,
    { type: "user", id: "fuzz-admin", label: "fuzz@example.com", role: "admin" },
    { userCode: login.user_code, decision: "approve" },
  );
  deviceCredential = (
    await exchangeDeviceCode(
      runtime.database.db,
      { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: login.device_code, client_id: "cluster-tls-cli" },
      info,
    )
  ).access_token;
});
afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Call = { route: Route; params: Record<string, string>; body?: string; query?: string; form?: boolean };

type RouteHandler = ((r: NextRequest, c: unknown) => Promise<Response>) & { operation: Operation };
const handlerOf = async (route: Route) =>
  ((await import(/* @vite-ignore */ path.resolve(route.file))) as Record<string, RouteHandler>)[route.method]!;

async function call({ route, params, body, query = "", form = false }: Call): Promise<Response> {
  const handler = await handlerOf(route);
  const bearer = route.as === "node" ? nodeCredential : route.as === "device" ? deviceCredential : token;
  const request = new NextRequest(`http://localhost/api/v1/fuzz${query}`, {
    method: route.method,
    headers: { authorization: `Bearer ${bearer}`, "content-type": form ? "application/x-www-form-urlencoded" : "application/json" },
    body,
  });
  return handler(request, { params: Promise.resolve(params) });
}

/** Whether `text` breaks the body contract of the operation (not JSON, not an object, a NUL, or the schema says no). */
function breaksContract(operation: Operation, text: string): boolean {
  if (!operation.body) return false;
  if (operation.bodyOptional && text.trim() === "") return !operation.body.safeParse({}).success;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return true;
  }
  if (!value || typeof value !== "object" || Array.isArray(value) || nulPath(value)) return true;
  return !operation.body.safeParse(value).success;
}

/**
 * Any status but 5xx; errors in the API's one shape (ZApiErrorBody) with a message, never a stack
 * trace; a contract violation is 400 VALIDATION_FAILED with `fields`, and a body that breaks the
 * route's published contract always is.
 */
async function expectWellFormed(response: Response, input: Call) {
  const label = `${input.route.method} ${input.route.file} ${JSON.stringify(input.params)} ${input.query ?? ""} ${(input.body ?? "").slice(0, 200)}`;
  expect(response.status, label).toBeLessThan(500);
  const operation = (await handlerOf(input.route)).operation;
  const refused = input.body !== undefined && breaksContract(operation, input.body);
  if (refused) expect(response.status, label).toBe(400);
  if (response.status >= 400 && input.route.oauth) {
    // RFC 6749 §5.2: the OAuth error shape.
    const body = (await response.json()) as { error?: string; error_description?: string };
    expect(body.error, label).toMatch(/^[a-z_]+$/);
    expect(body.error_description?.length, label).toBeGreaterThan(0);
    expect(JSON.stringify(body), label).not.toMatch(/\n\s+at |node_modules/);
  } else if (response.status >= 400) {
    const body = await response.json();
    expect(ZApiErrorBody.safeParse(body).success, `${label} → ${JSON.stringify(body)}`).toBe(true);
    expect(JSON.stringify(body), label).not.toMatch(/\n\s+at |node_modules/);
    if (refused) expect(body.error.code, label).toBe("VALIDATION_FAILED");
    if (body.error.code === "VALIDATION_FAILED") {
      expect(response.status, label).toBe(400);
      expect(body.error.fields, label).toEqual(expect.any(Object));
    }
  }
}

// NUL, once found here as a 500 (PostgreSQL text refuses it), stays in every generator.
const NASTY = fc.constantFrom("fuzz-prod\u0000", "\u0000", "../../etc/passwd", "%00", "a".repeat(5000), "🔐", "db1.fuzz.internal\u0000x");
const knownOr = (name: string) =>
  fc.oneof(fc.constantFrom(...known[name]!), NASTY, fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 40 }), fc.uuid());
const paramsFor = (route: Route) =>
  fc.record(Object.fromEntries(route.params.map((p) => [p, knownOr(p)])) as Record<string, fc.Arbitrary<string>>);
const fieldValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 300 }),
  NASTY,
  fc.constantFrom(
    "",
    "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
    "ctlse_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "0A1B",
    "primary",
    "ecdsa-p256",
    "import",
    "csr",
    "db9.fuzz.internal",
    "10.0.0.300",
    "app",
  ),
);
const bodyFor = (route: Route) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.dictionary(fc.constantFrom(...(route.fields ?? ["x"])), fieldValue, { maxKeys: 4 }).map((o) => JSON.stringify(o)),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  );
const postRoutes = ROUTES.filter((r) => r.method === "POST");
const getRoutes = ROUTES.filter((r) => r.method === "GET");

describe(`/api/v1 under ${RUNS} generated requests per surface`, () => {
  it("JSON bodies of every POST route", async () => {
    const arbitrary = fc.constantFrom(...postRoutes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.record(
          Object.fromEntries(route.params.map((p) => [p, fc.constantFrom(...known[p]!)])) as Record<string, fc.Arbitrary<string>>,
        ),
        body: bodyFor(route),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => expectWellFormed(await call(input), input)),
      { numRuns: RUNS },
    );
  });

  it("form-encoded bodies of the RFC 8628 endpoints (repeated and NUL-bearing parameters too)", async () => {
    const pairs = (route: Route) =>
      fc.array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...route.fields!), fc.string({ maxLength: 10 })),
          fc.oneof(
            fieldValue.map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
            fc.constantFrom("cluster-tls-cli", "urn:ietf:params:oauth:grant-type:device_code", "fuzz-prod other", "a b  c"),
          ),
        ),
        { maxLength: 5 },
      );
    const arbitrary = fc.constantFrom(...ROUTES.filter((r) => r.oauth)).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.constant({}),
        form: fc.constant(true),
        body: pairs(route).map((list) => new URLSearchParams(list).toString()),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => expectWellFormed(await call(input), input)),
      { numRuns: RUNS },
    );
  });

  it("path parameters of every route", async () => {
    const arbitrary = fc
      .constantFrom(...ROUTES.filter((r) => r.params.length > 0))
      .chain((route) =>
        fc.record({ route: fc.constant(route), params: paramsFor(route), body: fc.constant(route.method === "POST" ? "{}" : undefined) }),
      );
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => expectWellFormed(await call(input), input)),
      { numRuns: RUNS },
    );
  });

  it("query strings of the GET routes", async () => {
    const query = fc.dictionary(
      fc.oneof(fc.constantFrom("format", "page", "status", "kind", "q", "sort"), fc.string({ maxLength: 10 })),
      fc.oneof(fc.constantFrom("pem", "der", "", "-1", "1e9", "active"), fc.string({ maxLength: 50 })),
      { maxKeys: 3 },
    );
    const arbitrary = fc.constantFrom(...getRoutes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.record(
          Object.fromEntries(route.params.map((p) => [p, fc.constantFrom(...known[p]!)])) as Record<string, fc.Arbitrary<string>>,
        ),
        query: query.map((q) => `?${new URLSearchParams(q)}`),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => expectWellFormed(await call(input), input)),
      { numRuns: RUNS },
    );
  });
});
