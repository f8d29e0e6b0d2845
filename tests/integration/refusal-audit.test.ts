import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/access/actor";

// Route handlers and actions open the database through getRuntime(): a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-refusal-audit-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
process.env.CLUSTER_TLS_JOBS = "off";
delete process.env.DATABASE_URL;
// As under `npm start`: its server writes the socket's address into this header, and only then
// does a request have a client address (X-Forwarded-For is a client's claim).
const CLIENT_ADDRESS = "x-cluster-tls-client-address";
(globalThis as Record<symbol, unknown>)[Symbol.for("cluster-tls.client-address-header")] = CLIENT_ADDRESS;

// A signed-in auditor without a browser, and no Next.js request to revalidate in.
const AUDITOR = {
  type: "user",
  id: "aud-1",
  label: "aud@example.com",
  role: "auditor",
  email: "aud@example.com",
  name: "Aud",
  ipAddress: "198.51.100.4",
  userAgent: "browser",
} as const;
vi.mock("@/lib/auth/current-user", () => ({ requireSessionUser: async () => AUDITOR, getSessionUser: async () => AUDITOR }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined }));

const tokens = { auditor: "", elsewhere: "" };
const ids = { orders: "", node: "" };
let closeDb: () => Promise<void>;

beforeAll(async () => {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { schema, closeDatabase } = await import("@/lib/db");
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { createApiToken } = await import("@/lib/services/tokens/create-api-token");
  closeDb = closeDatabase;
  const { database, keyRing } = await getRuntime();
  const cli: Actor = { type: "cli", label: "test" };
  await database.db.insert(schema.users).values({ id: AUDITOR.id, email: AUDITOR.email, name: AUDITOR.name, role: "auditor" });
  ids.orders = (await createCluster(database.db, cli, keyRing.current, { name: "orders-prod" })).id;
  await createCluster(database.db, cli, keyRing.current, { name: "billing-prod" });
  const { addNode } = await import("@/lib/services/nodes/add-node");
  ids.node = (await addNode(database.db, cli, keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "primary" })).node.id;
  tokens.auditor = (await createApiToken(database.db, cli, { name: "reader", role: "auditor", clusters: [], days: 1 })).token;
  tokens.elsewhere = (
    await createApiToken(database.db, cli, { name: "billing-bot", role: "admin", clusters: ["billing-prod"], days: 1 })
  ).token;
});
afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function deniedRows() {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { schema } = await import("@/lib/db");
  const { auditEvents } = schema;
  return (await getRuntime()).database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "access.denied"), eq(auditEvents.outcome, "denied")));
}

async function callApi(
  file: string,
  method: "GET" | "POST",
  url: string,
  params: Record<string, string>,
  token: string | null,
  body?: unknown,
) {
  const route = (await import(/* @vite-ignore */ path.resolve(file))) as Record<string, (r: NextRequest, c: unknown) => Promise<Response>>;
  const headers: Record<string, string> = { [CLIENT_ADDRESS]: "203.0.113.9" };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = new NextRequest(`http://localhost${url}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return route[method]!(request, { params: Promise.resolve(params) });
}

describe("refused requests in the audit log", () => {
  it("records one row for a REST request a permission check refused: actor, attempt, object, address", async () => {
    const before = (await deniedRows()).length;
    const response = await callApi(
      "app/api/v1/clusters/[cluster]/nodes/route.ts",
      "POST",
      "/api/v1/clusters/orders-prod/nodes",
      { cluster: "orders-prod" },
      tokens.auditor,
      { hostname: "db1.orders.internal", role: "primary" },
    );
    expect(response.status).toBe(403);
    const rows = await deniedRows();
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({
      actorType: "token",
      actorLabel: expect.stringContaining("token reader"),
      objectType: "cluster",
      objectId: ids.orders,
      clusterId: ids.orders,
      ipAddress: "203.0.113.9",
      details: { request: "POST /api/v1/clusters/orders-prod/nodes", permission: "cluster:manage", status: 403 },
    });
  });

  it("records an instance-wide refusal of a scoped token, and a cluster it may not see (404)", async () => {
    const before = (await deniedRows()).length;
    expect(
      (await callApi("app/api/v1/clusters/route.ts", "POST", "/api/v1/clusters", {}, tokens.elsewhere, { name: "sneaky" })).status,
    ).toBe(403);
    expect(
      (
        await callApi(
          "app/api/v1/clusters/[cluster]/root.crt/route.ts",
          "GET",
          "/api/v1/clusters/orders-prod/root.crt",
          { cluster: "orders-prod" },
          tokens.elsewhere,
        )
      ).status,
    ).toBe(404);
    const rows = (await deniedRows()).slice(before);
    expect(rows.map((r) => r.details)).toEqual([
      { request: "POST /api/v1/clusters", permission: "cluster:manage", status: 403 },
      { request: "GET /api/v1/clusters/orders-prod/root.crt", permission: "cluster:read", status: 404 },
    ]);
  });

  it("records nothing for a missing or made-up token, nor for allowed requests", async () => {
    const before = (await deniedRows()).length;
    for (const token of [null, "ctls_nope", `ctls_abcdefgh_${"x".repeat(43)}`]) {
      expect((await callApi("app/api/v1/clusters/route.ts", "POST", "/api/v1/clusters", {}, token, { name: "x" })).status).toBe(401);
    }
    expect((await callApi("app/api/v1/clusters/route.ts", "GET", "/api/v1/clusters", {}, tokens.auditor)).status).toBe(200);
    expect(await deniedRows()).toHaveLength(before);
  });

  it("records a server action a permission check refused, naming the action and the ids it named", async () => {
    const { addNodeAction } = await import("@/lib/actions/node-actions");
    const before = (await deniedRows()).length;
    const form = new FormData();
    form.set("clusterId", ids.orders);
    form.set("hostname", "db2.orders.internal");
    form.set("role", "replica");
    const result = await addNodeAction(null, form);
    expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const rows = (await deniedRows()).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorType: "user",
      actorLabel: "aud@example.com",
      ipAddress: "198.51.100.4",
      clusterId: ids.orders,
      details: { request: "server action node.create", permission: "cluster:manage", clusterId: ids.orders },
    });
  });

  it("gives every server action its own name, so a refusal row says which one it was", () => {
    const sources = fs
      .readdirSync("lib/actions")
      .filter((f) => f.endsWith("-actions.ts"))
      .map((f) => fs.readFileSync(path.join("lib/actions", f), "utf8"));
    const calls = sources.flatMap((source) => source.match(/userAction\(/g) ?? []);
    const names = sources.flatMap((source) => [...source.matchAll(/userAction\(\s*"([a-z_.]+)"/g)].map((m) => m[1]));
    expect(names.length).toBeGreaterThan(20);
    expect(names).toHaveLength(calls.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it("records a browser download a permission check refused, with the session's address", async () => {
    const route = await import("@/app/(dashboard)/clusters/[clusterId]/nodes/[nodeId]/bundle/route");
    const before = (await deniedRows()).length;
    const url = `/clusters/${ids.orders}/nodes/${ids.node}/bundle`;
    const response = await route.GET(new Request(`http://localhost${url}`), {
      params: Promise.resolve({ clusterId: ids.orders, nodeId: ids.node }),
    });
    expect(response.status).toBe(403);
    const rows = (await deniedRows()).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorType: "user",
      actorLabel: "aud@example.com",
      ipAddress: "198.51.100.4",
      clusterId: ids.orders,
      details: { request: `GET ${url}`, permission: "cluster:manage", status: 403 },
    });
  });
});
