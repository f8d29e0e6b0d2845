import { createHash } from "node:crypto";
import { z } from "zod";
import { ZApiErrorBody } from "./error-body";
import type { Operation, SecurityName } from "./operation";
import { OPERATIONS } from "./operations";

type JsonObject = Record<string, unknown>;

/** A request schema as the document shows it: what a client may send (zod's input side), in JSON Schema 2020-12 — OpenAPI 3.1's own dialect. */
export function requestJsonSchema(schema: z.ZodType): JsonObject {
  const json: JsonObject = { ...z.toJSONSchema(schema, { io: "input" }) };
  delete json.$schema;
  return json;
}

const SECURITY_SCHEMES: Record<SecurityName, JsonObject> = {
  apiToken: { type: "http", scheme: "bearer", description: "An API token (`ctls_…`) from Settings → API tokens or `cli token create`" },
  nodeCredential: { type: "http", scheme: "bearer", description: "A node's agent credential (`ctlsn_…`), from POST /api/v1/agent/enroll" },
  deviceCredential: {
    type: "http",
    scheme: "bearer",
    description: "A developer login's device credential (`ctlsd_…`), from POST /api/v1/device/token after approval at /device",
  },
  metricsToken: { type: "http", scheme: "bearer", description: "CLUSTER_TLS_METRICS_TOKEN, a scrape-only secret for Prometheus" },
};

const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: {
    name: "ValidationFailed",
    description:
      "The input breaks its contract: code VALIDATION_FAILED, the first problem in `message` (naming the field), every problem in `fields`",
  },
  401: { name: "Unauthenticated", description: "No credential, or one that is unknown, revoked or expired" },
  403: { name: "Forbidden", description: "The credential may not do this" },
  404: { name: "NotFound", description: "No such object, or one this credential may not see" },
  409: { name: "Conflict", description: "The object's state does not allow it (the message says why)" },
  413: { name: "PayloadTooLarge", description: "The body is larger than this endpoint takes" },
  422: { name: "Unprocessable", description: "Well-formed, but refused by a PKI or policy rule (the code names it)" },
  429: { name: "RateLimited", description: "Too many attempts; try again later" },
};

const PATH_PARAMETERS: Record<string, string> = {
  cluster: "The cluster's name or id",
  node: "The node's id",
  serial: "The certificate's serial in hex, as `openssl x509 -serial` prints it (any case, colons allowed)",
  step: "create, publish, reissue, retire or cancel",
};

const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };

function errorStatuses(operation: Operation): number[] {
  const hasPathParameters = operation.path.includes("{");
  const statuses = new Set<number>(operation.errors ?? []);
  if (operation.body || operation.query || hasPathParameters) statuses.add(400);
  if (operation.auth.length > 0) [401, 403].forEach((s) => statuses.add(s));
  if (hasPathParameters) statuses.add(404);
  if (operation.body) statuses.add(413);
  return [...statuses].sort((a, b) => a - b);
}

function parametersOf(operation: Operation): JsonObject[] {
  const path = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    description: PATH_PARAMETERS[name!],
    schema: { type: "string" },
  }));
  if (!operation.query) return path;
  const query = requestJsonSchema(operation.query) as { properties?: Record<string, JsonObject>; required?: string[] };
  return [
    ...path,
    ...Object.entries(query.properties ?? {}).map(([name, schema]) => ({
      name,
      in: "query",
      required: query.required?.includes(name) ?? false,
      schema,
    })),
  ];
}

function operationObject(operation: Operation): JsonObject {
  const responses: JsonObject = {};
  for (const [status, { description, contentTypes = ["application/json"] }] of Object.entries(operation.responses)) {
    responses[status] = {
      description,
      ...(contentTypes.length ? { content: Object.fromEntries(contentTypes.map((type) => [type, {}])) } : {}),
    };
  }
  for (const status of errorStatuses(operation)) {
    const known = ERROR_RESPONSES[status];
    responses[String(status)] = known
      ? { $ref: `#/components/responses/${known.name}` }
      : { description: `HTTP ${status}`, content: errorContent };
  }
  return {
    operationId: operation.id,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [operation.tag],
    security: operation.auth.map((name) => ({ [name]: [] })),
    parameters: parametersOf(operation),
    ...(operation.body
      ? {
          requestBody: {
            required: !operation.bodyOptional,
            content: { "application/json": { schema: requestJsonSchema(operation.body) } },
          },
        }
      : {}),
    ...(operation.oauthParameters ? oauthRequest(operation.oauthParameters, responses) : {}),
    responses,
  };
}

/** An OAuth endpoint: its parameters form-encoded (as RFC 6749 sends them) or as JSON; a refusal is the OAuth error (RFC 6749 §5.2). */
function oauthRequest(parameters: z.ZodType, responses: JsonObject): JsonObject {
  const schema = requestJsonSchema(parameters);
  responses["400"] = {
    description:
      "RFC 6749 §5.2 / RFC 8628 §3.5 error: invalid_request, invalid_client, invalid_grant, unsupported_grant_type, authorization_pending, slow_down, access_denied or expired_token",
    content: { "application/json": { schema: { $ref: "#/components/schemas/OAuthError" } } },
  };
  return { requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema }, "application/json": { schema } } } };
}

const OAUTH_ERROR_SCHEMA = {
  type: "object",
  required: ["error"],
  properties: { error: { type: "string" }, error_description: { type: "string" } },
};

/** The OpenAPI 3.1 document of every operation in the registry. */
export function buildOpenApiDocument(operations: readonly Operation[] = OPERATIONS): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const operation of operations) (paths[operation.path] ??= {})[operation.method.toLowerCase()] = operationObject(operation);
  return {
    openapi: "3.1.0",
    info: {
      title: "cluster-tls",
      version: "1",
      description:
        'A private PKI for PostgreSQL clusters. Every refusal is `{"error":{"code","message"}}`; an input that breaks its contract is 400 VALIDATION_FAILED with `fields`.',
    },
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: { Error: requestJsonSchema(ZApiErrorBody), OAuthError: OAUTH_ERROR_SCHEMA },
      responses: Object.fromEntries(
        Object.values(ERROR_RESPONSES).map(({ name, description }) => [name, { description, content: errorContent }]),
      ),
    },
  };
}

let cached: { text: string; etag: string } | undefined;

/** The document as served: built once per process (it changes only with the code). */
export function openApiDocumentText(): { text: string; etag: string } {
  if (!cached) {
    const text = JSON.stringify(buildOpenApiDocument());
    cached = { text, etag: `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"` };
  }
  return cached;
}
