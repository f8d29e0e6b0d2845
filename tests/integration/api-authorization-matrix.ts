// The data of api-authorization.test.ts: every /api/v1 route and method with the status each
// principal must get. Parameters marked "set in beforeAll" are filled in by the test's fixtures.
//
// Principals are role × scope: each role with a token for all clusters, one scoped to the route's
// cluster ("Here": orders-prod and pending-prod) and one scoped to another ("Elsewhere":
// billing-prod). Developer tokens act for a developer: dev@ (granted all three clusters, database
// user "app" on orders-prod) for developerWith/Here/Elsewhere, dev2@ (granted billing-prod only)
// for developerWithout. `node` is the node credential of an agent on bundle.orders.internal: it may
// use /api/v1/agent/* for its own node and nothing else — not even its own cluster's routes.
// `device` is the device credential of a developer login (`cluster-tls login`) by dev@: it may use
// /api/v1/device/* and login certificates and nothing else.
export const PRINCIPALS = [
  "anonymous",
  "malformed",
  "revoked",
  "expired",
  "admin",
  "adminHere",
  "adminElsewhere",
  "auditor",
  "auditorHere",
  "auditorElsewhere",
  "developerWith",
  "developerHere",
  "developerElsewhere",
  "developerWithout",
  "node",
  "device",
] as const;
export type Principal = (typeof PRINCIPALS)[number];
type Expectation = Record<Principal, number>;
/**
 * `fresh`: the call consumes what it acts on, so each principal gets its own — a new host name
 * (adding a node), a new node (removing one), a new certificate (revoking one), a new node with
 * an enrolled agent (disconnecting it).
 */
export type RouteCase = {
  method: "GET" | "POST" | "DELETE";
  path: string;
  file: string;
  params: Record<string, string>;
  expect: Expectation;
  body?: unknown;
  fresh?: "hostname" | "node" | "serial" | "agent" | "device";
  /** RFC 8628 endpoints answer errors in the OAuth shape `{error, error_description}`. */
  oauth?: boolean;
  /** Set by a `fresh: "device"` case: the device credential that call uses (it revokes itself). */
  deviceToken?: string;
};

const REFUSED_TOKENS = { anonymous: 401, malformed: 401, revoked: 401, expired: 401 };

/** A device credential may use only the device endpoints: everywhere else it is refused. */
const DEVICE_REFUSED = { device: 403 };

/** Every valid token may (GET /clusters lists what each may see). */
const ALL_TOKENS_OK: Expectation = {
  ...REFUSED_TOKENS,
  ...Object.fromEntries(PRINCIPALS.slice(4).map((p) => [p, 200])),
  ...DEVICE_REFUSED,
} as Expectation;

/**
 * Instance-wide: only an admin token for all clusters. A scoped token acts only inside its
 * clusters, whatever its role.
 */
function instanceWide(admin: number): Expectation {
  return { ...REFUSED_TOKENS, ...Object.fromEntries(PRINCIPALS.slice(4).map((p) => [p, 403])), admin, ...DEVICE_REFUSED } as Expectation;
}

/**
 * Inside orders-prod (or pending-prod): who may see the cluster gets the status of their role;
 * a token scoped elsewhere, or a developer not granted it, gets 404 (no existence leak).
 */
function inCluster(admin: number, { auditor = 403, developer = 403 } = {}): Expectation {
  return {
    ...REFUSED_TOKENS,
    admin,
    adminHere: admin,
    adminElsewhere: 404,
    auditor,
    auditorHere: auditor,
    auditorElsewhere: 404,
    developerWith: developer,
    developerHere: developer,
    developerElsewhere: 404,
    developerWithout: 404,
    node: 404,
    ...DEVICE_REFUSED,
  };
}
/** Agent endpoints: only a node credential; every API token, whatever its role or scope, is refused. */
const NODE_ONLY: Expectation = {
  ...REFUSED_TOKENS,
  ...Object.fromEntries(PRINCIPALS.slice(4).map((p) => [p, 403])),
  node: 200,
} as Expectation;
/** Device endpoints: only a device credential; every API token and the node credential are refused. */
const DEVICE_ONLY = (status: number): Expectation =>
  ({ ...REFUSED_TOKENS, ...Object.fromEntries(PRINCIPALS.slice(4).map((p) => [p, 403])), device: status }) as Expectation;
/** The RFC 8628 endpoints take no credential (the laptop has none yet): every caller gets the same. */
const EVERYONE = (status: number): Expectation => Object.fromEntries(PRINCIPALS.map((p) => [p, status])) as Expectation;
/** The agent file is public: it holds no secret, and a node fetches it before it has any credential. */
const PUBLIC: Expectation = Object.fromEntries(PRINCIPALS.map((p) => [p, 200])) as Expectation;
const READ = { auditor: 200, developer: 200 };

/**
 * Every /api/v1 route and method with the exact status each principal gets. A route file that is
 * not listed here fails the first test, so a new endpoint cannot ship without its row.
 */
export const MATRIX: RouteCase[] = [
  // A node credential sees no cluster: the list is empty (checked in api-authorization.test.ts).
  { method: "GET", path: "/api/v1/clusters", file: "app/api/v1/clusters/route.ts", params: {}, expect: ALL_TOKENS_OK },
  {
    method: "POST",
    path: "/api/v1/clusters",
    file: "app/api/v1/clusters/route.ts",
    params: {},
    body: { name: "created-by-api" },
    expect: instanceWide(201),
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/nodes",
    file: "app/api/v1/clusters/[cluster]/nodes/route.ts",
    params: { cluster: "orders-prod" },
    body: { hostname: "db1.orders.internal", role: "primary", ipAddresses: ["10.0.0.5"] },
    fresh: "hostname",
    expect: inCluster(201),
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/client-certificates",
    file: "app/api/v1/clusters/[cluster]/client-certificates/route.ts",
    params: { cluster: "orders-prod" },
    body: { databaseUser: "app" },
    // A developer token carries its developer's database users: dev@ may use "app" on orders-prod.
    expect: inCluster(201, { developer: 201 }),
  },
  {
    method: "POST",
    path: "/api/v1/certificates/{serial}/revoke",
    file: "app/api/v1/certificates/[serial]/revoke/route.ts",
    params: { serial: "fresh" },
    body: { reason: "superseded" },
    fresh: "serial",
    expect: inCluster(200),
  },
  {
    method: "GET",
    path: "/api/v1/nodes/{node}/bundle",
    file: "app/api/v1/nodes/[node]/bundle/route.ts",
    params: { node: "set in beforeAll" },
    // It holds the server's private key: admins only; who cannot see the cluster gets "not found".
    expect: inCluster(200),
  },
  {
    method: "POST",
    path: "/api/v1/nodes/{node}/reissue",
    file: "app/api/v1/nodes/[node]/reissue/route.ts",
    params: { node: "set in beforeAll" },
    body: { revokePrevious: false },
    expect: inCluster(200),
  },
  {
    method: "POST",
    path: "/api/v1/nodes/{node}/csr",
    file: "app/api/v1/nodes/[node]/csr/route.ts",
    params: { node: "set in beforeAll" },
    body: { csrPem: "set in beforeAll" },
    expect: inCluster(201),
  },
  {
    method: "DELETE",
    path: "/api/v1/nodes/{node}",
    file: "app/api/v1/nodes/[node]/route.ts",
    params: { node: "fresh" },
    fresh: "node",
    expect: inCluster(200),
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/rotation/create",
    file: "app/api/v1/clusters/[cluster]/rotation/[step]/route.ts",
    params: { cluster: "orders-prod", step: "create" },
    body: {},
    expect: inCluster(200),
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/reissue",
    file: "app/api/v1/clusters/[cluster]/reissue/route.ts",
    params: { cluster: "orders-prod" },
    body: {},
    expect: inCluster(200),
  },
  {
    method: "GET",
    path: "/api/v1/clusters/pending-prod/ca-request",
    file: "app/api/v1/clusters/[cluster]/ca-request/route.ts",
    params: { cluster: "pending-prod" },
    expect: inCluster(200, READ),
  },
  {
    method: "POST",
    path: "/api/v1/clusters/pending-prod/ca-request",
    file: "app/api/v1/clusters/[cluster]/ca-request/route.ts",
    params: { cluster: "pending-prod" },
    // Past the permission check an admin reaches the certificate check (this one is garbage).
    body: { certificatePem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" },
    expect: inCluster(400),
  },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/external-crl",
    file: "app/api/v1/clusters/[cluster]/external-crl/route.ts",
    params: { cluster: "orders-prod" },
    // orders-prod has its own root: no external CRL to replace.
    body: { crlPem: "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n" },
    expect: inCluster(409),
  },
  {
    method: "POST",
    path: "/api/v1/nodes/{node}/enrollment",
    file: "app/api/v1/nodes/[node]/enrollment/route.ts",
    params: { node: "set in beforeAll" },
    expect: inCluster(201),
  },
  {
    method: "DELETE",
    path: "/api/v1/nodes/{node}/agent",
    file: "app/api/v1/nodes/[node]/agent/route.ts",
    params: { node: "fresh" },
    fresh: "agent",
    expect: inCluster(200),
  },
  {
    method: "POST",
    path: "/api/v1/agent/enroll",
    file: "app/api/v1/agent/enroll/route.ts",
    params: {},
    // The code is the credential, whatever the header says: an unknown one is refused for everyone.
    body: { code: "ctlse_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", csrPem: "set in beforeAll" },
    expect: Object.fromEntries(PRINCIPALS.map((p) => [p, 401])) as Expectation,
  },
  { method: "GET", path: "/api/v1/agent/state", file: "app/api/v1/agent/state/route.ts", params: {}, expect: NODE_ONLY },
  {
    method: "POST",
    path: "/api/v1/agent/csr",
    file: "app/api/v1/agent/csr/route.ts",
    params: {},
    body: { csrPem: "set in beforeAll" },
    expect: { ...NODE_ONLY, node: 201 },
  },
  {
    method: "POST",
    path: "/api/v1/agent/status",
    file: "app/api/v1/agent/status/route.ts",
    params: {},
    body: { agentVersion: "test", installedSerial: null, servedSerial: null },
    expect: NODE_ONLY,
  },
  {
    method: "POST",
    path: "/api/v1/device/code",
    file: "app/api/v1/device/code/route.ts",
    params: {},
    body: { client_id: "cluster-tls-cli", device_name: "laptop" },
    oauth: true,
    expect: EVERYONE(200),
  },
  {
    method: "POST",
    path: "/api/v1/device/token",
    file: "app/api/v1/device/token/route.ts",
    params: {},
    // The device code is the credential, whatever the header says: an unknown one is invalid_grant for everyone.
    body: { grant_type: "urn:ietf:params:oauth:grant-type:device_code", device_code: "made-up", client_id: "cluster-tls-cli" },
    oauth: true,
    expect: EVERYONE(400),
  },
  { method: "GET", path: "/api/v1/device/access", file: "app/api/v1/device/access/route.ts", params: {}, expect: DEVICE_ONLY(200) },
  { method: "DELETE", path: "/api/v1/device", file: "app/api/v1/device/route.ts", params: {}, fresh: "device", expect: DEVICE_ONLY(204) },
  {
    method: "POST",
    path: "/api/v1/clusters/orders-prod/login-certificates",
    file: "app/api/v1/clusters/[cluster]/login-certificates/route.ts",
    params: { cluster: "orders-prod" },
    // dev@ is granted "app" on orders-prod; the CSR's CN is "app".
    body: { databaseUser: "app", csrPem: "set in beforeAll" },
    expect: DEVICE_ONLY(201),
  },
  { method: "GET", path: "/api/v1/tools/cluster-tls.mjs", file: "app/api/v1/tools/cluster-tls.mjs/route.ts", params: {}, expect: PUBLIC },
  {
    method: "GET",
    path: "/api/v1/tools/cluster-tls.mjs.sha256",
    file: "app/api/v1/tools/cluster-tls.mjs.sha256/route.ts",
    params: {},
    expect: PUBLIC,
  },
  // The REST reference describes the API, not this instance: no credential, and a bad one is not looked at.
  { method: "GET", path: "/api/v1/openapi.json", file: "app/api/v1/openapi.json/route.ts", params: {}, expect: PUBLIC },
  ...["", "/root.crt", "/crl", "/certificates", "/rotation"].map((suffix) => ({
    method: "GET" as const,
    path: `/api/v1/clusters/orders-prod${suffix}`,
    file: `app/api/v1/clusters/[cluster]${suffix}/route.ts`,
    params: { cluster: "orders-prod" },
    // A cluster you may not see does not exist for you (no existence leak).
    expect: inCluster(200, READ),
  })),
];
