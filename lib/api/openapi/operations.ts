import { ZAgentCsrInput, ZAgentStatusInput, ZEnrollAgentInput } from "@/lib/validations/agent";
import { ZRevokeCertificateInput } from "@/lib/validations/certificates";
import { ZIssueClientCertificateInput } from "@/lib/validations/client-bundles";
import { ZCompleteCaRequestInput, ZCreateClusterInput, ZCrlQuery, ZUpdateExternalCrlInput } from "@/lib/validations/clusters";
import { ZAddNodeInput, ZBulkReissueInput, ZReissueNodeInput, ZSignNodeCsrInput } from "@/lib/validations/nodes";
import { ZRotationStepInput } from "@/lib/validations/rotation";
import { ZDeviceCodeRequest, ZDeviceTokenRequest, ZLoginCertificateInput } from "@/lib/validations/devices";
import { defineOperation, type Operation } from "./operation";

/** A corporate root's CRL can be large: the operations that take one raise the 1 MiB body limit. */
const CRL_BODY_LIMIT = 32 * 1024 * 1024;

const TOKEN = ["apiToken"] as const;
const NODE = ["nodeCredential"] as const;
const DEVICE = ["deviceCredential"] as const;
const PUBLIC = [] as const;
const PEM = ["application/x-pem-file"];
const ZIP = ["application/zip"];
const NOT_MODIFIED = { 304: { description: "Unchanged since the ETag given in If-None-Match", contentTypes: [] } };

// ——— clusters ———
export const listClustersOperation = defineOperation({
  id: "listClusters",
  method: "GET",
  path: "/api/v1/clusters",
  tag: "clusters",
  auth: TOKEN,
  summary: "The clusters this credential may see",
  responses: { 200: { description: "`{clusters: [...]}`" } },
});
export const createClusterOperation = defineOperation({
  id: "createCluster",
  method: "POST",
  path: "/api/v1/clusters",
  tag: "clusters",
  auth: TOKEN,
  summary: "Create a cluster with its CA",
  description:
    '`ca` is "generate" (a new root, default), "import" (an existing CA with its key, and for an intermediate its chain and CRLs) or "csr" (an intermediate whose CSR an external root signs: `caCertificatePem` is null and `caCsrPem` is returned).',
  body: ZCreateClusterInput,
  maxBodyBytes: CRL_BODY_LIMIT,
  errors: [409, 422],
  responses: { 201: { description: "`{id, name, caCertificatePem, caCsrPem?}`" } },
});
export const getClusterOperation = defineOperation({
  id: "getCluster",
  method: "GET",
  path: "/api/v1/clusters/{cluster}",
  tag: "clusters",
  auth: TOKEN,
  summary: "A cluster's settings (by name or id)",
  responses: { 200: { description: "The cluster" } },
});
export const getCaRequestOperation = defineOperation({
  id: "getCaRequest",
  method: "GET",
  path: "/api/v1/clusters/{cluster}/ca-request",
  tag: "clusters",
  auth: TOKEN,
  summary: 'The CSR of the intermediate CA a `ca: "csr"` cluster waits on',
  responses: { 200: { description: "`{subject, keyAlgorithm, csrPem, createdAt}`" } },
});
export const completeCaRequestOperation = defineOperation({
  id: "completeCaRequest",
  method: "POST",
  path: "/api/v1/clusters/{cluster}/ca-request",
  tag: "clusters",
  auth: TOKEN,
  summary: "Upload the certificate the external root signed: it becomes the cluster's active CA",
  body: ZCompleteCaRequestInput,
  maxBodyBytes: CRL_BODY_LIMIT,
  errors: [409, 422],
  responses: { 201: { description: "`{serial, subject, issuer, notAfter}`" } },
});
export const updateExternalCrlOperation = defineOperation({
  id: "updateExternalCrl",
  method: "POST",
  path: "/api/v1/clusters/{cluster}/external-crl",
  tag: "clusters",
  auth: TOKEN,
  summary: "Fresh CRLs of the external issuers above the cluster's intermediate CA",
  body: ZUpdateExternalCrlInput,
  maxBodyBytes: CRL_BODY_LIMIT,
  errors: [409, 422],
  responses: { 200: { description: "`{nextUpdate}`" } },
});
export const getRootCertificateOperation = defineOperation({
  id: "getRootCertificate",
  method: "GET",
  path: "/api/v1/clusters/{cluster}/root.crt",
  tag: "clusters",
  auth: TOKEN,
  summary: "The CA certificates clients must trust (old and new during a rotation)",
  responses: { 200: { description: "PEM", contentTypes: PEM }, ...NOT_MODIFIED },
});
export const getCrlOperation = defineOperation({
  id: "getCrl",
  method: "GET",
  path: "/api/v1/clusters/{cluster}/crl",
  tag: "clusters",
  auth: TOKEN,
  summary: "The current CRL: DER of the signing CA, or with ?format=pem every trusted CA's (ssl_crl_file)",
  query: ZCrlQuery,
  responses: { 200: { description: "The CRL", contentTypes: ["application/pkix-crl", ...PEM] }, ...NOT_MODIFIED },
});

// ——— certificates ———
export const listClusterCertificatesOperation = defineOperation({
  id: "listClusterCertificates",
  method: "GET",
  path: "/api/v1/clusters/{cluster}/certificates",
  tag: "certificates",
  auth: TOKEN,
  summary: "The cluster's certificates",
  responses: { 200: { description: "`{certificates: [...]}`" } },
});
export const issueClientCertificateOperation = defineOperation({
  id: "issueClientCertificate",
  method: "POST",
  path: "/api/v1/clusters/{cluster}/client-certificates",
  tag: "certificates",
  auth: TOKEN,
  summary: "A client certificate for a database user: a bundle with a new key, or JSON for the caller's CSR",
  body: ZIssueClientCertificateInput,
  errors: [422],
  responses: {
    201: {
      description: "A zip (key, certificate, root.crt, .p12, .pk8), or with `csrPem` JSON with the certificate",
      contentTypes: [...ZIP, "application/json"],
    },
  },
});
export const revokeCertificateOperation = defineOperation({
  id: "revokeCertificate",
  method: "POST",
  path: "/api/v1/certificates/{serial}/revoke",
  tag: "certificates",
  auth: TOKEN,
  summary: "Revoke a certificate by serial (hex); the CRL is re-signed at once",
  body: ZRevokeCertificateInput,
  bodyOptional: true,
  errors: [409, 422],
  responses: { 200: { description: "The revoked certificate" } },
});

// ——— nodes ———
export const addNodeOperation = defineOperation({
  id: "addNode",
  method: "POST",
  path: "/api/v1/clusters/{cluster}/nodes",
  tag: "nodes",
  auth: TOKEN,
  summary: "Add a node and issue its server certificate",
  body: ZAddNodeInput,
  errors: [409, 422],
  responses: { 201: { description: "The node with its new `certificate`" } },
});
export const bulkReissueOperation = defineOperation({
  id: "bulkReissue",
  method: "POST",
  path: "/api/v1/clusters/{cluster}/reissue",
  tag: "nodes",
  auth: TOKEN,
  summary: "Re-issue the server certificates of every live node of the cluster, or of the listed nodes",
  body: ZBulkReissueInput,
  bodyOptional: true,
  errors: [409],
  responses: { 200: { description: "`{total, reissued, failed: [{nodeId, hostname, error}]}`" } },
});
export const removeNodeOperation = defineOperation({
  id: "removeNode",
  method: "DELETE",
  path: "/api/v1/nodes/{node}",
  tag: "nodes",
  auth: TOKEN,
  summary: "Remove a node: its certificates are revoked (cessationOfOperation) and the CRL re-signed",
  errors: [409],
  responses: { 200: { description: "`{id, hostname, removedAt, revokedSerials}`" } },
});
export const getServerBundleOperation = defineOperation({
  id: "getServerBundle",
  method: "GET",
  path: "/api/v1/nodes/{node}/bundle",
  tag: "nodes",
  auth: TOKEN,
  summary: "The node's server bundle (key, certificate, chain, CRL, snippets, install.sh)",
  responses: { 200: { description: "A zip", contentTypes: ZIP } },
});
export const reissueNodeOperation = defineOperation({
  id: "reissueNode",
  method: "POST",
  path: "/api/v1/nodes/{node}/reissue",
  tag: "nodes",
  auth: TOKEN,
  summary: "A new server certificate for the node; the previous one is superseded (or revoked)",
  body: ZReissueNodeInput,
  bodyOptional: true,
  errors: [409, 422],
  responses: { 200: { description: "The new certificate" } },
});
export const signNodeCsrOperation = defineOperation({
  id: "signNodeCsr",
  method: "POST",
  path: "/api/v1/nodes/{node}/csr",
  tag: "nodes",
  auth: TOKEN,
  summary: "The node's certificate signed from its own CSR (every name in it must be the node's)",
  body: ZSignNodeCsrInput,
  errors: [409, 422],
  responses: { 201: { description: "The new certificate" } },
});
export const createEnrollmentCodeOperation = defineOperation({
  id: "createEnrollmentCode",
  method: "POST",
  path: "/api/v1/nodes/{node}/enrollment",
  tag: "agents",
  auth: TOKEN,
  summary: "A one-time enrollment code for the node's agent (single use, valid for an hour)",
  errors: [409],
  responses: { 201: { description: "`{nodeId, hostname, code, expiresAt}`" } },
});
export const disconnectAgentOperation = defineOperation({
  id: "disconnectAgent",
  method: "DELETE",
  path: "/api/v1/nodes/{node}/agent",
  tag: "agents",
  auth: TOKEN,
  summary: "Disconnect the node's agent: its node credential stops working",
  responses: { 200: { description: "The disconnected agent" } },
});

// ——— CA rotation ———
export const getRotationOperation = defineOperation({
  id: "getRotation",
  method: "GET",
  path: "/api/v1/clusters/{cluster}/rotation",
  tag: "rotation",
  auth: TOKEN,
  summary: "Where the cluster's CA rotation stands",
  responses: { 200: { description: "`{step, progress, cas}`" } },
});
export const rotationStepOperation = defineOperation({
  id: "rotationStep",
  method: "POST",
  path: "/api/v1/clusters/{cluster}/rotation/{step}",
  tag: "rotation",
  auth: TOKEN,
  summary: "One rotation step: create, publish, reissue, retire or cancel",
  description:
    "Repeating a finished step changes nothing (`changed: false`); a step out of order is a 409 naming the step that comes first.",
  body: ZRotationStepInput,
  bodyOptional: true,
  errors: [409, 422],
  responses: { 200: { description: "`{changed, ...rotation status}`" } },
});

// ——— agents (node credential) ———
export const enrollAgentOperation = defineOperation({
  id: "enrollAgent",
  method: "POST",
  path: "/api/v1/agent/enroll",
  tag: "agents",
  auth: PUBLIC,
  summary: "Enroll an agent: the code is the credential; returns the node's certificate and its node credential (shown once)",
  body: ZEnrollAgentInput,
  errors: [401, 409, 422, 429],
  responses: { 201: { description: "`{credential, clusterName, ...certificate}`" } },
});
export const getAgentStateOperation = defineOperation({
  id: "getAgentState",
  method: "GET",
  path: "/api/v1/agent/state",
  tag: "agents",
  auth: NODE,
  summary: "What the calling agent's node should install",
  responses: { 200: { description: "The node's certificate, chain, root.crt, CRLs" }, ...NOT_MODIFIED },
});
export const signAgentCsrOperation = defineOperation({
  id: "signAgentCsr",
  method: "POST",
  path: "/api/v1/agent/csr",
  tag: "agents",
  auth: NODE,
  summary: "The agent's node's new certificate from its own new key (own names only)",
  body: ZAgentCsrInput,
  errors: [409, 422],
  responses: { 201: { description: "The new certificate" } },
});
export const recordAgentStatusOperation = defineOperation({
  id: "recordAgentStatus",
  method: "POST",
  path: "/api/v1/agent/status",
  tag: "agents",
  auth: NODE,
  summary: "The agent's report after each poll",
  body: ZAgentStatusInput,
  responses: { 200: { description: "The recorded status" } },
});
export const getAgentFileOperation = defineOperation({
  id: "getAgentFile",
  method: "GET",
  path: "/api/v1/tools/cluster-tls.mjs",
  tag: "agents",
  auth: PUBLIC,
  summary: "The agent (one file for Node.js ≥ 18); it holds no secret",
  responses: { 200: { description: "JavaScript", contentTypes: ["text/javascript"] } },
});
export const getAgentFileChecksumOperation = defineOperation({
  id: "getAgentFileChecksum",
  method: "GET",
  path: "/api/v1/tools/cluster-tls.mjs.sha256",
  tag: "agents",
  auth: PUBLIC,
  summary: "`sha256sum -c` input for the agent file",
  responses: { 200: { description: "`<hex>  cluster-tls.mjs`", contentTypes: ["text/plain"] } },
});

// ——— operations ———
export const getOpenApiDocumentOperation = defineOperation({
  id: "getOpenApiDocument",
  method: "GET",
  path: "/api/v1/openapi.json",
  tag: "meta",
  auth: PUBLIC,
  summary: "This document (OpenAPI 3.1)",
  responses: { 200: { description: "The OpenAPI document" }, ...NOT_MODIFIED },
});
export const getMetricsOperation = defineOperation({
  id: "getMetrics",
  method: "GET",
  path: "/api/metrics",
  tag: "meta",
  auth: ["apiToken", "metricsToken"],
  summary: "Prometheus metrics: the scrape token sees every cluster, an API token the clusters it may read",
  responses: { 200: { description: "Prometheus text format", contentTypes: ["text/plain"] } },
});
export const getHealthOperation = defineOperation({
  id: "getHealth",
  method: "GET",
  path: "/api/health",
  tag: "meta",
  auth: PUBLIC,
  summary: "Liveness and database reachability, for load balancers and monitors",
  responses: {
    200: { description: '`{status: "ok", database, requests}`' },
    503: { description: '`{status: "unavailable", database}`: the database does not answer' },
  },
});

/** Every documented operation, in the document's order. */
// ——— developer login (RFC 8628 device grant, then the device credential) ———
export const requestDeviceCodeOperation = defineOperation({
  id: "requestDeviceCode",
  method: "POST",
  path: "/api/v1/device/code",
  tag: "developer login",
  auth: PUBLIC,
  summary: "Start `cluster-tls login`: a device code, the user code to approve at /device, and how often to poll",
  oauthParameters: ZDeviceCodeRequest,
  responses: {
    200: { description: "`{device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval}` (RFC 8628 §3.2)" },
  },
});
export const exchangeDeviceCodeOperation = defineOperation({
  id: "exchangeDeviceCode",
  method: "POST",
  path: "/api/v1/device/token",
  tag: "developer login",
  auth: PUBLIC,
  summary: "Poll with the device code until the user approved: the device credential, once",
  oauthParameters: ZDeviceTokenRequest,
  responses: { 200: { description: '`{access_token: "ctlsd_…", token_type: "Bearer", expires_in, device_id}`' } },
});
export const getDeviceAccessOperation = defineOperation({
  id: "getDeviceAccess",
  method: "GET",
  path: "/api/v1/device/access",
  tag: "developer login",
  auth: DEVICE,
  summary: "The login's user, device, and the clusters and database users it may connect to",
  responses: { 200: { description: "`{user, device, clusters: [{id, name, databaseUsers, connect, loginCertificateHours}]}`" } },
});
export const forgetDeviceOperation = defineOperation({
  id: "forgetDevice",
  method: "DELETE",
  path: "/api/v1/device",
  tag: "developer login",
  auth: DEVICE,
  summary: "`cluster-tls logout`: the device revokes its own credential",
  responses: { 204: { description: "Revoked", contentTypes: [] } },
});
export const issueLoginCertificateOperation = defineOperation({
  id: "issueLoginCertificate",
  method: "POST",
  path: "/api/v1/clusters/{cluster}/login-certificates",
  tag: "developer login",
  auth: DEVICE,
  summary: "A short-lived client certificate for the laptop's key (CSR), with root.crt, the CRL and where to connect",
  body: ZLoginCertificateInput,
  errors: [422],
  responses: { 201: { description: "`{serial, certificatePem, notAfter, rootCertificatesPem, crlPem, connect}`" } },
});

export const OPERATIONS: readonly Operation[] = [
  listClustersOperation,
  createClusterOperation,
  getClusterOperation,
  getCaRequestOperation,
  completeCaRequestOperation,
  updateExternalCrlOperation,
  getRootCertificateOperation,
  getCrlOperation,
  listClusterCertificatesOperation,
  issueClientCertificateOperation,
  revokeCertificateOperation,
  addNodeOperation,
  bulkReissueOperation,
  removeNodeOperation,
  getServerBundleOperation,
  reissueNodeOperation,
  signNodeCsrOperation,
  createEnrollmentCodeOperation,
  disconnectAgentOperation,
  getRotationOperation,
  rotationStepOperation,
  enrollAgentOperation,
  getAgentStateOperation,
  signAgentCsrOperation,
  recordAgentStatusOperation,
  getAgentFileOperation,
  getAgentFileChecksumOperation,
  getOpenApiDocumentOperation,
  getMetricsOperation,
  getHealthOperation,
  requestDeviceCodeOperation,
  exchangeDeviceCodeOperation,
  getDeviceAccessOperation,
  forgetDeviceOperation,
  issueLoginCertificateOperation,
];
