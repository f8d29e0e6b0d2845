// The data of api-authorization.test.ts: every /api/v1 route and method with the status each
// principal must get. Parameters marked "set in beforeAll" are filled in by the test's fixtures.
// `node` is the node credential of an agent on bundle.orders.internal: it may use /api/v1/agent/*
// for its own node and nothing else — not even its own cluster's routes.
export type Principal = "anonymous" | "malformed" | "revoked" | "expired" | "auditor" | "developerWithout" | "developerWith" | "admin" | "node";
type Expectation = Record<Principal, number>;
export type RouteCase = { method: "GET" | "POST" | "DELETE"; path: string; file: string; params: Record<string, string>; expect: Expectation; body?: unknown };

const ALL_TOKENS_OK = { anonymous: 401, malformed: 401, revoked: 401, expired: 401, auditor: 200, developerWithout: 200, developerWith: 200, admin: 200, node: 404 };
/** Agent endpoints: only a node credential; every API token, whatever its role, is refused. */
const NODE_ONLY = { anonymous: 401, malformed: 401, revoked: 401, expired: 401, auditor: 403, developerWithout: 403, developerWith: 403, admin: 403, node: 200 };
/** The agent file is public: it holds no secret, and a node fetches it before it has any credential. */
const PUBLIC = { anonymous: 200, malformed: 200, revoked: 200, expired: 200, auditor: 200, developerWithout: 200, developerWith: 200, admin: 200, node: 200 };

/**
 * Every /api/v1 route and method with the exact status each principal gets. A route file that is
 * not listed here fails the first test, so a new endpoint cannot ship without its row.
 */
export const MATRIX: RouteCase[] = [
  // A node credential sees no cluster: the list is empty (checked in api-authorization.test.ts).
  { method: "GET", path: "/api/v1/clusters", file: "app/api/v1/clusters/route.ts", params: {}, expect: { ...ALL_TOKENS_OK, node: 200 } },
  {
    method: "POST",
    path: "/api/v1/clusters",
    file: "app/api/v1/clusters/route.ts",
    params: {},
    body: { name: "created-by-api" },
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 403, developerWith: 403, admin: 201, node: 403 },
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/nodes",
    file: "app/api/v1/clusters/[cluster]/nodes/route.ts",
    params: { cluster: "orders-prod" },
    body: { hostname: "db1.orders.internal", role: "primary", ipAddresses: ["10.0.0.5"] },
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 201 },
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/client-certificates",
    file: "app/api/v1/clusters/[cluster]/client-certificates/route.ts",
    params: { cluster: "orders-prod" },
    body: { databaseUser: "app" },
    // A developer token carries no database users (those are granted to people), so it is refused.
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 201 },
  },
  {
    method: "POST",
    path: "/api/v1/certificates/{serial}/revoke",
    file: "app/api/v1/certificates/[serial]/revoke/route.ts",
    params: { serial: "set in beforeAll" },
    body: { reason: "superseded" },
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 200 },
  },
  {
    method: "GET",
    path: "/api/v1/nodes/{node}/bundle",
    file: "app/api/v1/nodes/[node]/bundle/route.ts",
    params: { node: "set in beforeAll" },
    // It holds the server's private key: admins only; who cannot see the cluster gets "not found".
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 200 },
  },
  {
    method: "POST",
    path: "/api/v1/nodes/{node}/reissue",
    file: "app/api/v1/nodes/[node]/reissue/route.ts",
    params: { node: "set in beforeAll" },
    body: { revokePrevious: false },
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 200 },
  },
  {
    method: "POST",
    path: "/api/v1/nodes/{node}/csr",
    file: "app/api/v1/nodes/[node]/csr/route.ts",
    params: { node: "set in beforeAll" },
    body: { csrPem: "set in beforeAll" },
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 201 },
  },
  {
    method: "DELETE",
    path: "/api/v1/nodes/{node}",
    file: "app/api/v1/nodes/[node]/route.ts",
    params: { node: "set in beforeAll" },
    // Admin runs last: the node is gone after its 200.
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 200 },
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/rotation/create",
    file: "app/api/v1/clusters/[cluster]/rotation/[step]/route.ts",
    params: { cluster: "orders-prod", step: "create" },
    body: {},
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 200 },
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/reissue",
    file: "app/api/v1/clusters/[cluster]/reissue/route.ts",
    params: { cluster: "orders-prod" },
    body: {},
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 200 },
  },
  {
    method: "GET",
    path: "/api/v1/clusters/pending-prod/ca-request",
    file: "app/api/v1/clusters/[cluster]/ca-request/route.ts",
    params: { cluster: "pending-prod" },
    expect: { ...ALL_TOKENS_OK, developerWithout: 404 },
  },
  {
    method: "POST",
    path: "/api/v1/clusters/pending-prod/ca-request",
    file: "app/api/v1/clusters/[cluster]/ca-request/route.ts",
    params: { cluster: "pending-prod" },
    // Past the permission check an admin reaches the certificate check (this one is garbage).
    body: { certificatePem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" },
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 400 },
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/external-crl",
    file: "app/api/v1/clusters/[cluster]/external-crl/route.ts",
    params: { cluster: "orders-prod" },
    // orders-prod has its own root: no external CRL to replace.
    body: { crlPem: "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n" },
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 409 },
  },
  {
    method: "POST",
    path: "/api/v1/nodes/{node}/enrollment",
    file: "app/api/v1/nodes/[node]/enrollment/route.ts",
    params: { node: "set in beforeAll" },
    expect: { ...ALL_TOKENS_OK, auditor: 403, developerWithout: 404, developerWith: 403, admin: 201 },
  },
  {
    method: "POST",
    path: "/api/v1/agent/enroll",
    file: "app/api/v1/agent/enroll/route.ts",
    params: {},
    // The code is the credential, whatever the header says: an unknown one is refused for everyone.
    body: { code: "ctlse_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", csrPem: "set in beforeAll" },
    expect: { anonymous: 401, malformed: 401, revoked: 401, expired: 401, auditor: 401, developerWithout: 401, developerWith: 401, admin: 401, node: 401 },
  },
  { method: "GET", path: "/api/v1/agent/state", file: "app/api/v1/agent/state/route.ts", params: {}, expect: NODE_ONLY },
  { method: "POST", path: "/api/v1/agent/csr", file: "app/api/v1/agent/csr/route.ts", params: {}, body: { csrPem: "set in beforeAll" }, expect: { ...NODE_ONLY, node: 201 } },
  {
    method: "POST",
    path: "/api/v1/agent/status",
    file: "app/api/v1/agent/status/route.ts",
    params: {},
    body: { agentVersion: "test", installedSerial: null, servedSerial: null },
    expect: NODE_ONLY,
  },
  { method: "GET", path: "/api/v1/tools/cluster-tls.mjs", file: "app/api/v1/tools/cluster-tls.mjs/route.ts", params: {}, expect: PUBLIC },
  { method: "GET", path: "/api/v1/tools/cluster-tls.mjs.sha256", file: "app/api/v1/tools/cluster-tls.mjs.sha256/route.ts", params: {}, expect: PUBLIC },
  ...["", "/root.crt", "/crl", "/certificates", "/rotation"].map((suffix) => ({
    method: "GET" as const,
    path: `/api/v1/clusters/orders-prod${suffix}`,
    file: `app/api/v1/clusters/[cluster]${suffix}/route.ts`,
    params: { cluster: "orders-prod" },
    // A cluster you may not see does not exist for you (no existence leak).
    expect: { ...ALL_TOKENS_OK, developerWithout: 404 },
  })),
];
