import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Operation } from "@/lib/api/openapi/operation";

// The route handlers open the database through the runtime: point it at a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-openapi-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type RouteExport = { method: string; template: string; file: string; operation?: Operation };
type JsonObject = Record<string, unknown>;

/** Every app/api route file on disk but the CLI's private channel, as `[param]` → `{param}` templates. */
function routeFiles(dir = "app/api"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === path.join("app", "api", "internal") ? [] : routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

async function routeExports(): Promise<RouteExport[]> {
  const found: RouteExport[] = [];
  for (const file of routeFiles()) {
    const template = `/${path.dirname(path.relative("app", file)).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}");
    const routeModule = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, { operation?: Operation }>;
    for (const method of METHODS)
      if (method in routeModule) found.push({ method, template, file, operation: routeModule[method]!.operation });
  }
  return found;
}

const requestSchema = (schema: z.ZodType) => {
  const json: JsonObject = { ...z.toJSONSchema(schema, { io: "input" }) };
  delete json.$schema;
  return json;
};

/** The value a local `#/a/b` reference points at, or undefined. */
function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as JsonObject)[key] : undefined), document);
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

let document: JsonObject;
let served: Response;
let closeDb: () => Promise<void>;

beforeAll(async () => {
  closeDb = (await import("@/lib/db")).closeDatabase;
  const { GET } = await import("@/app/api/v1/openapi.json/route");
  served = await GET(new NextRequest("http://localhost/api/v1/openapi.json"), { params: Promise.resolve({}) });
  document = (await served.clone().json()) as JsonObject;
});
afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("GET /api/v1/openapi.json", () => {
  it("is served without a credential, cacheable and revalidated by its ETag", async () => {
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^application\/json/);
    expect(served.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = served.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const again = await GET(new NextRequest("http://localhost/api/v1/openapi.json", { headers: { "if-none-match": etag } }), {
      params: Promise.resolve({}),
    });
    expect(again.status).toBe(304);
  });

  it("documents exactly the routes that exist: every exported method of every route file, and nothing else", async () => {
    const onDisk = (await routeExports()).map((r) => `${r.method} ${r.template}`).sort();
    const paths = document.paths as Record<string, JsonObject>;
    const documented = Object.entries(paths)
      .flatMap(([template, item]) =>
        Object.keys(item)
          .filter((key) => METHODS.includes(key.toUpperCase() as (typeof METHODS)[number]))
          .map((method) => `${method.toUpperCase()} ${template}`),
      )
      .sort();
    expect(documented).toEqual(onDisk);
  });

  it("each route is bound to the operation of its own method and path (the one apiHandler enforces)", async () => {
    for (const route of await routeExports()) {
      expect(route.operation, `${route.method} ${route.file} is not bound to a registry operation`).toBeDefined();
      expect(`${route.operation!.method} ${route.operation!.path}`, route.file).toBe(`${route.method} ${route.template}`);
    }
  });

  it("documents each request body and query as the JSON Schema of the zod schema the route really checks", async () => {
    const paths = document.paths as Record<string, Record<string, JsonObject>>;
    let bodies = 0;
    for (const { method, template, operation } of await routeExports()) {
      const documented = paths[template]![method.toLowerCase()]!;
      const content = (documented.requestBody as { content?: Record<string, { schema: unknown }> } | undefined)?.content;
      const body = content?.["application/json"]?.schema;
      // An OAuth endpoint's parameters (RFC 6749) come form-encoded or as JSON, under the same schema.
      const contract = operation!.body ?? operation!.oauthParameters;
      if (contract) {
        bodies += 1;
        expect(body, `${method} ${template}`).toEqual(requestSchema(contract));
        if (operation!.oauthParameters)
          expect(content?.["application/x-www-form-urlencoded"]?.schema, `${method} ${template} form`).toEqual(requestSchema(contract));
      } else expect(body, `${method} ${template} documents a body it does not read`).toBeUndefined();
      const query = ((documented.parameters ?? []) as { in: string; name: string; schema: unknown }[]).filter((p) => p.in === "query");
      const expected = operation!.query ? (requestSchema(operation!.query) as { properties: JsonObject }).properties : {};
      expect(Object.fromEntries(query.map((p) => [p.name, p.schema])), `${method} ${template} query`).toEqual(expected);
    }
    expect(bodies).toBe(16);
  });

  it("looks like a valid OpenAPI 3.1 document: version, info, unique operation ids, declared path parameters, every $ref resolves", () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const ids: string[] = [];
    for (const [template, item] of Object.entries(document.paths as Record<string, Record<string, JsonObject>>)) {
      expect(template.startsWith("/")).toBe(true);
      const names = [...template.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).sort();
      for (const operation of Object.values(item)) {
        ids.push(operation.operationId as string);
        const declared = (operation.parameters as { in: string; name: string; required?: boolean }[]).filter((p) => p.in === "path");
        expect(declared.map((p) => p.name).sort(), template).toEqual(names);
        expect(declared.every((p) => p.required === true)).toBe(true);
        expect(Object.keys(operation.responses as JsonObject).length).toBeGreaterThan(0);
        for (const requirement of operation.security as JsonObject[]) {
          for (const scheme of Object.keys(requirement))
            expect(resolvePointer(document, `#/components/securitySchemes/${scheme}`), scheme).toBeDefined();
        }
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolvePointer(document, ref), ref).toBeDefined();
  });

  it("documents the one error shape every contract violation gets", () => {
    const error = resolvePointer(document, "#/components/schemas/Error") as JsonObject;
    expect(JSON.stringify(error)).toContain('"fields"');
    expect(resolvePointer(document, "#/components/responses/ValidationFailed")).toMatchObject({
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    });
  });
});
