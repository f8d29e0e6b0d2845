import { ZRevokeCertificateInput } from "@/lib/validations/certificates";
import { ZIssueClientCertificateInput } from "@/lib/validations/client-bundles";
import { ZCompleteCaRequestInput, ZCreateClusterInput, ZCrlQuery, ZUpdateExternalCrlInput } from "@/lib/validations/clusters";
import { defineOperation } from "../operation";
import { CRL_BODY_LIMIT, TOKEN, PEM, ZIP, NOT_MODIFIED } from "./common";

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
