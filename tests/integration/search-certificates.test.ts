import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { searchCertificates } from "@/lib/services/certificates/search-certificates";
import { ZCertificateFilters } from "@/lib/validations/certificate-filters";
import { certificateRow, insertClusterWithCa } from "@/tests/support/db-fixtures";

let handle: DatabaseHandle;
let dir: string;
const now = new Date("2026-11-24T12:00:00Z");
const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
const admin: Actor = { type: "cli", label: "test" };
const ids = { orders: "", billing: "" };
const search = (query: Record<string, string>, actor: Actor = admin) =>
  searchCertificates(handle.db, actor, ZCertificateFilters.parse(query), now);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-search-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  const orders = await insertClusterWithCa(handle.db, "orders-prod");
  const billing = await insertClusterWithCa(handle.db, "billing-prod");
  ids.orders = orders.cluster.id;
  ids.billing = billing.cluster.id;
  const common = { notBefore: at(-400) };
  await handle.db.insert(schema.certificates).values([
    certificateRow(ids.orders, {
      ...common,
      commonName: "db1.orders.internal",
      dnsNames: ["db1.orders.internal", "pg-rw.orders.internal"],
      ipAddresses: ["10.0.0.5"],
      notAfter: at(200),
    }),
    certificateRow(ids.orders, { ...common, commonName: "db2.orders.internal", notAfter: at(10) }),
    certificateRow(ids.orders, { ...common, kind: "client", commonName: "app_rw", databaseUser: "app_rw", notAfter: at(-3) }),
    certificateRow(ids.orders, {
      ...common,
      kind: "client",
      commonName: "100%_user",
      databaseUser: "100%_user",
      notAfter: at(50),
      status: "revoked",
      revokedAt: at(-1),
      revocationReason: "keyCompromise",
    }),
    certificateRow(ids.billing, {
      ...common,
      serialHex: "ABCDEF0123",
      commonName: "db1.billing.internal",
      notAfter: at(300),
      status: "superseded",
    }),
    ...Array.from({ length: 60 }, (_, i) =>
      certificateRow(ids.billing, { ...common, kind: "client", commonName: `bulk${i}`, databaseUser: `bulk${i}`, notAfter: at(100 + i) }),
    ),
  ]);
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const names = (rows: { commonName: string }[]) => rows.map((r) => r.commonName);

describe("searchCertificates", () => {
  it("derives expiring and expired from notAfter, and filters by stored status", async () => {
    expect(names((await search({ status: "expiring" })).rows)).toEqual(["db2.orders.internal"]);
    expect(names((await search({ status: "expired" })).rows)).toEqual(["app_rw"]);
    expect(names((await search({ status: "revoked" })).rows)).toEqual(["100%_user"]);
    // The CA certificate (90 days) and db1 (200 days) are active and outside the 30-day window.
    expect(names((await search({ status: "active", cluster: ids.orders })).rows)).toEqual(["orders-prod Root CA", "db1.orders.internal"]);
  });

  it("filters by cluster and kind, soonest expiry first, and sorts the other way on request", async () => {
    const clients = await search({ cluster: ids.orders, kind: "client", status: "all" });
    expect(names(clients.rows)).toEqual(["app_rw", "100%_user"]);
    expect(names((await search({ cluster: ids.orders, kind: "client", status: "all", sort: "-days-left" })).rows)).toEqual([
      "100%_user",
      "app_rw",
    ]);
  });

  it("lists current certificates by default: superseded and revoked ones only on request", async () => {
    expect(names((await search({ q: "db1" })).rows)).toEqual(["db1.orders.internal"]);
    expect(names((await search({ cluster: ids.orders, kind: "client" })).rows)).toEqual(["app_rw"]); // expired, not revoked
    expect(names((await search({ q: "db1", status: "all" })).rows)).toEqual(["db1.orders.internal", "db1.billing.internal"]);
  });

  it("searches names, SANs, database users and serials (with colons); LIKE wildcards are literal", async () => {
    expect(names((await search({ q: "pg-rw" })).rows)).toEqual(["db1.orders.internal"]);
    expect(names((await search({ q: "10.0.0.5" })).rows)).toEqual(["db1.orders.internal"]);
    expect(names((await search({ q: "ab:cd:ef", status: "all" })).rows)).toEqual(["db1.billing.internal"]);
    expect(names((await search({ q: "100%", status: "all" })).rows)).toEqual(["100%_user"]);
    expect((await search({ q: "%", status: "all" })).rows.map((r) => r.commonName)).toEqual(["100%_user"]);
  });

  it("pages 50 at a time with the total", async () => {
    const first = await search({ cluster: ids.billing, kind: "client" });
    const second = await search({ cluster: ids.billing, kind: "client", page: "2" });
    expect(first.total).toBe(60);
    expect(first.rows).toHaveLength(50);
    expect(second.rows).toHaveLength(10);
    expect(new Set([...names(first.rows), ...names(second.rows)]).size).toBe(60);
  });

  it("shows a developer only the clusters granted to them", async () => {
    await handle.db.insert(schema.users).values({ id: "dev-1", email: "dev@example.com", name: "Dev", role: "developer" });
    await handle.db.insert(schema.clusterAccess).values({ userId: "dev-1", clusterId: ids.orders, databaseUsers: ["app_rw"] });
    const developer: Actor = { type: "user", id: "dev-1", label: "dev@example.com", role: "developer" };
    const result = await search({ q: "db1" }, developer);
    expect(names(result.rows)).toEqual(["db1.orders.internal"]);
    const stranger: Actor = { type: "user", id: "dev-2", label: "x@example.com", role: "developer" };
    expect((await search({}, stranger)).total).toBe(0);
  });

  it("refuses unknown filter values instead of guessing", () => {
    expect(ZCertificateFilters.safeParse({ status: "bogus" }).success).toBe(false);
    expect(ZCertificateFilters.safeParse({ cluster: "not-a-uuid" }).success).toBe(false);
    expect(ZCertificateFilters.safeParse({ page: "0" }).success).toBe(false);
  });
});
