import { ZAgentCsrInput, ZAgentStatusInput, ZEnrollAgentInput } from "@/lib/validations/agent";
import { defineOperation } from "../operation";
import { NODE, PUBLIC, NOT_MODIFIED } from "./common";

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
