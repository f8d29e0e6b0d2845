// root.crt and CRLs served from memory, and API tokens believed for a few seconds — with
// two "instances" (two database handles, each with its own caches) on one real PostgreSQL, as
// several app servers share one database. Correctness only: no timings.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { parseCrl } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getCurrentCrl, getTrustedCrlsPem } from "@/lib/services/clusters/get-current-crl";
import { createPublishedFileCache, getPublishedFile } from "@/lib/services/clusters/get-published-file";
import { addNode } from "@/lib/services/nodes/add-node";
import { createRotationCa, publishRotationCa } from "@/lib/services/rotation/rotation-steps";
import { API_TOKEN_CACHE_TTL_MS, apiTokenCache, createApiTokenCache } from "@/lib/services/tokens/api-token-cache";
import { authenticateApiToken } from "@/lib/services/tokens/authenticate-api-token";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { revokeApiToken } from "@/lib/services/tokens/revoke-api-token";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";

const key = parseMasterKey(Buffer.alloc(32, 23).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const request = { ipAddress: "127.0.0.1", userAgent: "vitest" };

let pg: PostgresServer;
let a: DatabaseHandle; // instance A: serves the files
let b: DatabaseHandle; // instance B: where the changes happen

beforeAll(async () => {
  pg = await startPostgres({ databases: ["ctls"] });
  const url = pg.url.replace(/\/postgres$/, "/ctls");
  a = await openDatabase({ kind: "postgres", url });
  b = await openDatabase({ kind: "postgres", url });
  await createCluster(a.db, admin, key, { name: "orders-prod" });
  await createCluster(a.db, admin, key, { name: "billing-prod" });
}, 120_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await pg?.stop();
});

const serials = (der: Uint8Array) => parseCrl(der).entries.map((e) => e.serialHex);

describe("published files (root.crt, CRL) cached per instance", () => {
  it("serves the same rendered file until the PKI changes, and the same bytes the services produce", async () => {
    const cache = createPublishedFileCache();
    const first = await getPublishedFile(a.db, admin, "orders-prod", "crl", cache);
    expect(await getPublishedFile(a.db, admin, "orders-prod", "crl", cache)).toBe(first);
    expect(Buffer.from(first.body)).toEqual(Buffer.from((await getCurrentCrl(a.db, admin, "orders-prod")).der));
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const pem = await getPublishedFile(a.db, admin, "orders-prod", "crl.pem", cache);
    expect(Buffer.from(pem.body).toString()).toBe((await getTrustedCrlsPem(a.db, admin, "orders-prod")).pem);
    // By id as well as by name: one cache entry per cluster and variant.
    const cluster = (await a.db.select().from(schema.clusters).where(eq(schema.clusters.name, "orders-prod")))[0]!;
    expect(await getPublishedFile(a.db, admin, cluster.id, "crl", cache)).toBe(first);
  });

  it("serves the new CRL at once after a revocation made through another instance's database handle", async () => {
    const cacheA = createPublishedFileCache();
    const { certificate } = await addNode(b.db, admin, keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "primary" });
    const before = await getPublishedFile(a.db, admin, "orders-prod", "crl", cacheA);
    const pemBefore = await getPublishedFile(a.db, admin, "orders-prod", "crl.pem", cacheA);
    expect(serials(before.body)).not.toContain(certificate.serialHex);

    await revokeCertificate(b.db, admin, keyRing, certificate.serialHex, "keyCompromise");

    const after = await getPublishedFile(a.db, admin, "orders-prod", "crl", cacheA);
    expect(after.etag).not.toBe(before.etag);
    expect(serials(after.body)).toContain(certificate.serialHex);
    const pemAfter = await getPublishedFile(a.db, admin, "orders-prod", "crl.pem", cacheA);
    expect(pemAfter.etag).not.toBe(pemBefore.etag);
    expect(Buffer.from(pemAfter.body).toString()).toBe((await getTrustedCrlsPem(b.db, admin, "orders-prod")).pem);
  });

  it("sees a CRL written straight into the database (no app code involved)", async () => {
    await createCluster(b.db, admin, key, { name: "sql-prod" });
    const cache = createPublishedFileCache();
    const before = await getPublishedFile(a.db, admin, "sql-prod", "crl", cache);
    // A CRL copied in by hand under the next number: the trigger bumps the version all the same.
    pg.psql(
      `WITH ca AS (SELECT ca.id, ca.next_crl_number FROM certificate_authorities ca JOIN clusters c ON c.id = ca.cluster_id WHERE c.name = 'sql-prod')
       INSERT INTO crls (ca_id, crl_number, this_update, next_update, entry_count, der)
       SELECT ca.id, ca.next_crl_number, now(), crls.next_update, crls.entry_count, crls.der || '\\x00'::bytea
       FROM ca JOIN crls ON crls.ca_id = ca.id ORDER BY crls.crl_number DESC LIMIT 1`,
      { db: "ctls" },
    );
    const after = await getPublishedFile(a.db, admin, "sql-prod", "crl", cache);
    expect(after.etag).not.toBe(before.etag);
    expect(after.body.byteLength).toBe(before.body.byteLength + 1);
  });

  it("puts the new CA into root.crt at once when another instance publishes a rotation, and leaves other clusters' entries alone", async () => {
    const cacheA = createPublishedFileCache();
    const before = await getPublishedFile(a.db, admin, "billing-prod", "root.crt", cacheA);
    const other = await getPublishedFile(a.db, admin, "orders-prod", "root.crt", cacheA);
    expect(
      Buffer.from(before.body)
        .toString()
        .match(/BEGIN CERTIFICATE/g),
    ).toHaveLength(1);

    const context = { db: b.db, actor: admin, keyRing, clusterRef: "billing-prod" };
    await createRotationCa(context);
    // Created but not yet trusted: the version moved, the rendered root.crt is the same bytes.
    const created = await getPublishedFile(a.db, admin, "billing-prod", "root.crt", cacheA);
    expect(created.etag).toBe(before.etag);
    await publishRotationCa(context);

    const after = await getPublishedFile(a.db, admin, "billing-prod", "root.crt", cacheA);
    expect(
      Buffer.from(after.body)
        .toString()
        .match(/BEGIN CERTIFICATE/g),
    ).toHaveLength(2);
    expect(after.etag).not.toBe(before.etag);
    expect(await getPublishedFile(a.db, admin, "orders-prod", "root.crt", cacheA)).toBe(other);
  });

  it("loses no revocation when two instances revoke in the same cluster at once (deferred version bump, no deadlock)", async () => {
    const cacheA = createPublishedFileCache();
    const nodes = await Promise.all(
      ["db2", "db3", "db4", "db5"].map((host) =>
        addNode(a.db, admin, keyRing, "orders-prod", { hostname: `${host}.orders.internal`, role: "replica" }),
      ),
    );
    await getPublishedFile(a.db, admin, "orders-prod", "crl", cacheA);
    const results = await Promise.allSettled(
      nodes.map(({ certificate }, i) => revokeCertificate(i % 2 ? a.db : b.db, admin, keyRing, certificate.serialHex)),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    const served = serials((await getPublishedFile(a.db, admin, "orders-prod", "crl", cacheA)).body);
    for (const { certificate } of nodes) expect(served).toContain(certificate.serialHex);
  });

  it("renders once for many simultaneous requests after a change", async () => {
    const cache = createPublishedFileCache();
    const files = await Promise.all(Array.from({ length: 20 }, () => getPublishedFile(a.db, admin, "orders-prod", "crl.pem", cache)));
    expect(new Set(files).size).toBe(1);
    expect(cache.rendering.size).toBe(0);
  });

  it("checks access on every request, cached or not", async () => {
    const cache = createPublishedFileCache();
    await getPublishedFile(a.db, admin, "orders-prod", "root.crt", cache);
    const orders = (await a.db.select().from(schema.clusters).where(eq(schema.clusters.name, "orders-prod")))[0]!;
    const billing = (await a.db.select().from(schema.clusters).where(eq(schema.clusters.name, "billing-prod")))[0]!;
    const developer: Actor = { type: "token", id: "t", label: "token dev", role: "developer", clusterIds: [billing.id] };
    await expect(getPublishedFile(a.db, developer, "orders-prod", "root.crt", cache)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getPublishedFile(a.db, developer, orders.id, "crl", cache)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getPublishedFile(a.db, developer, "billing-prod", "root.crt", cache)).resolves.toMatchObject({
      clusterName: "billing-prod",
    });
  });
});

describe("API token verification cached for a few seconds", () => {
  it("a token revoked on another instance stops working once the cache window has passed", async () => {
    let clock = 1_000_000;
    const cache = createApiTokenCache({ now: () => clock });
    const { token, record } = await createApiToken(b.db, admin, { name: "poller", role: "auditor", clusters: [], days: 30 });
    const bearer = `Bearer ${token}`;
    expect(await authenticateApiToken(a.db, bearer, request, cache)).toMatchObject({
      type: "token",
      id: record.id,
      role: "auditor",
      ...request,
    });

    await revokeApiToken(b.db, admin, record.id);
    clock += API_TOKEN_CACHE_TTL_MS - 1;
    // Within the window this instance still believes its earlier check (documented in the README).
    await expect(authenticateApiToken(a.db, bearer, request, cache)).resolves.toMatchObject({ id: record.id });
    clock += 1;
    await expect(authenticateApiToken(a.db, bearer, request, cache)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: expect.stringMatching(/was revoked/),
    });
    expect(cache.size).toBe(0);
  });

  it("the instance that revokes a token forgets it at once", async () => {
    const { token, record } = await createApiToken(a.db, admin, { name: "local", role: "admin", clusters: [], days: 30 });
    await authenticateApiToken(a.db, `Bearer ${token}`, request);
    await revokeApiToken(a.db, admin, record.id);
    await expect(authenticateApiToken(a.db, `Bearer ${token}`, request)).rejects.toMatchObject({
      code: "UNAUTHENTICATED",
      message: expect.stringMatching(/was revoked/),
    });
    expect(apiTokenCache().size).toBe(0);
  });

  it("writes last_used_at once, not on every cached request", async () => {
    const cache = createApiTokenCache();
    const { token, record } = await createApiToken(a.db, admin, { name: "busy", role: "auditor", clusters: [], days: 30 });
    const lastUsed = async () => (await a.db.select().from(schema.apiTokens).where(eq(schema.apiTokens.id, record.id)))[0]!.lastUsedAt;
    await authenticateApiToken(a.db, `Bearer ${token}`, request, cache);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    for (let i = 0; i < 5; i++) await authenticateApiToken(a.db, `Bearer ${token}`, request, cache);
    expect(await lastUsed()).toEqual(first);
  });

  it("stays bounded: only verified tokens enter, and never more than maxEntries", async () => {
    const cache = createApiTokenCache({ maxEntries: 3 });
    const created = await Promise.all(
      Array.from({ length: 5 }, (_, i) => createApiToken(a.db, admin, { name: `t${i}`, role: "auditor", clusters: [], days: 30 })),
    );
    for (const { token } of created) await authenticateApiToken(a.db, `Bearer ${token}`, request, cache);
    expect(cache.size).toBe(3);
    // Made-up tokens are refused and leave no trace, however many arrive (from as many addresses:
    // one address guessing that much is throttled, see token-throttle.test.ts).
    for (let i = 0; i < 50; i++) {
      const guess = `ctls_${randomBytes(4).toString("hex")}_${randomBytes(32).toString("base64url")}`;
      await expect(authenticateApiToken(a.db, `Bearer ${guess}`, { ...request, ipAddress: `192.0.2.${i}` }, cache)).rejects.toMatchObject({
        message: "unknown API token",
      });
    }
    expect(cache.size).toBe(3);
    // An evicted token is simply checked against the database again.
    await expect(authenticateApiToken(a.db, `Bearer ${created[0]!.token}`, request, cache)).resolves.toMatchObject({
      id: created[0]!.record.id,
    });
  });

  it("scopes come along from the cache: a scoped token still sees only its cluster", async () => {
    const cache = createApiTokenCache();
    const { token } = await createApiToken(a.db, admin, { name: "poller", role: "auditor", clusters: ["billing-prod"], days: 30 });
    for (let i = 0; i < 2; i++) {
      const actor = await authenticateApiToken(a.db, `Bearer ${token}`, request, cache);
      await expect(getPublishedFile(a.db, actor, "orders-prod", "root.crt", createPublishedFileCache())).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      await expect(getPublishedFile(a.db, actor, "billing-prod", "root.crt", createPublishedFileCache())).resolves.toBeTruthy();
    }
  });
});
