import { ZAddNodeInput, ZBulkReissueInput, ZReissueNodeInput, ZSignNodeCsrInput } from "@/lib/validations/nodes";
import { ZRotationStepInput } from "@/lib/validations/rotation";
import { defineOperation } from "../operation";
import { TOKEN, ZIP } from "./common";

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
