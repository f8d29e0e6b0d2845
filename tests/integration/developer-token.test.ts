import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { visibleClusterIds } from "@/lib/services/access/visible-cluster-ids";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import { createApiTokenCache } from "@/lib/services/tokens/api-token-cache";
import { authenticateApiToken } from "@/lib/services/tokens/authenticate-api-token";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { grantClusterAccess } from "@/lib/services/users/set-cluster-access";

/** A developer token acts for a named developer: their grants (now and later), narrowed by its scope. */
const key = parseMasterKey(Buffer.alloc(32, 9).toString("base64"), "test");
const keyRing = { current: key, all: [key], source: "test" };
const admin: Actor = { type: "cli", label: "test" };
const ids = { orders: "", billing: "", dev: "dev-1", idle: "dev-idle", auditor: "aud-1" };
let dir: string;
let handle: DatabaseHandle;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-dev-token-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  ids.orders = (await createCluster(handle.db, admin, key, { name: "orders-prod" })).id;
  ids.billing = (await createCluster(handle.db, admin, key, { name: "billing-prod" })).id;
  await handle.db.insert(schema.users).values([
    { id: ids.dev, email: "dev@example.com", name: "Dev", role: "developer" },
    { id: ids.idle, email: "idle@example.com", name: "Idle", role: "developer" },
    { id: ids.auditor, email: "aud@example.com", name: "Aud", role: "auditor" },
  ]);
  await grantClusterAccess(handle.db, admin, { userId: ids.dev, clusterId: ids.orders, databaseUsers: ["app"] });
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const create = (input: { role?: "admin" | "developer" | "auditor"; user?: string; clusters?: string[] }) =>
  createApiToken(handle.db, admin, {
    name: "ci",
    role: input.role ?? "developer",
    user: input.user,
    clusters: input.clusters ?? [],
    days: 1,
  });
const signIn = (token: string) =>
  authenticateApiToken(handle.db, `Bearer ${token}`, { ipAddress: "192.0.2.7", userAgent: "ci" }, createApiTokenCache());

describe("developer API tokens", () => {
  it("refuses to create a token that would grant nothing, naming why", async () => {
    await expect(create({})).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { user: [expect.stringContaining("acts for a developer")] },
    });
    await expect(create({ user: "idle@example.com" })).rejects.toMatchObject({
      message: expect.stringContaining("idle@example.com is granted no cluster"),
    });
    await expect(create({ user: "dev@example.com", clusters: ["billing-prod"] })).rejects.toMatchObject({
      message: expect.stringContaining("dev@example.com is not granted billing-prod"),
      fieldErrors: { clusters: expect.any(Array) },
    });
    await expect(create({ user: "aud@example.com" })).rejects.toMatchObject({
      message: expect.stringContaining("aud@example.com is an auditor, not a developer"),
    });
    await expect(create({ role: "admin", user: "dev@example.com" })).rejects.toMatchObject({
      fieldErrors: { user: [expect.stringContaining("Only developer tokens act for a user")] },
    });
  });

  it("'All clusters' carries every cluster granted to its developer, now and later", async () => {
    const { token, record } = await create({ user: "DEV@example.com" });
    expect(record.actsFor).toBe("dev@example.com");
    const actor = await signIn(token);
    expect(actor.label).toContain("for dev@example.com");
    expect((await listClusters(handle.db, actor)).map((c) => c.name)).toEqual(["orders-prod"]);
    await grantClusterAccess(handle.db, admin, { userId: ids.dev, clusterId: ids.billing, databaseUsers: [] });
    expect((await listClusters(handle.db, actor)).map((c) => c.name)).toEqual(["billing-prod", "orders-prod"]);
    expect(await visibleClusterIds(handle.db, actor)).toHaveLength(2);
  });

  it("downloads client bundles for its developer's database users within its scope, audited and owned by the developer", async () => {
    const everywhere = await signIn((await create({ user: ids.dev })).token);
    const bundle = await issueClientBundle(handle.db, everywhere, keyRing, "orders-prod", { databaseUser: "app" });
    const [certificate] = await handle.db.select().from(schema.certificates).where(eq(schema.certificates.serialHex, bundle.serialHex));
    expect(certificate).toMatchObject({ ownerUserId: ids.dev, issuedByTokenId: everywhere.type === "token" ? everywhere.id : "" });
    const [audit] = await handle.db
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, "client_bundle.download"), eq(schema.auditEvents.objectId, certificate!.id)));
    expect(audit).toMatchObject({ actorType: "token", actorLabel: expect.stringContaining("for dev@example.com"), ipAddress: "192.0.2.7" });
    await expect(issueClientBundle(handle.db, everywhere, keyRing, "orders-prod", { databaseUser: "postgres" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const billingOnly = await signIn((await create({ user: ids.dev, clusters: ["billing-prod"] })).token);
    await expect(issueClientBundle(handle.db, billingOnly, keyRing, "orders-prod", { databaseUser: "app" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("stops working when its developer is disabled or no longer a developer", async () => {
    const { token } = await create({ user: ids.dev });
    await handle.db.update(schema.users).set({ disabledAt: new Date() }).where(eq(schema.users.id, ids.dev));
    await expect(signIn(token)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: expect.stringContaining("acts for dev@example.com, who is disabled"),
    });
    await handle.db.update(schema.users).set({ disabledAt: null, role: "auditor" }).where(eq(schema.users.id, ids.dev));
    await expect(signIn(token)).rejects.toMatchObject({ message: expect.stringContaining("who is no longer a developer") });
  });
});
