import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { listMyDatabaseAccess } from "@/lib/services/access/list-my-database-access";
import { listMyClientCertificates } from "@/lib/services/certificates/list-my-client-certificates";
import { certificateRow, insertClusterWithCa } from "@/tests/support/db-fixtures";

// What a developer's start page lists: their grants and the client certificates they hold.
let handle: DatabaseHandle;
let dir: string;
const now = new Date("2026-11-24T12:00:00Z");
const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
const person = (id: string, role: "admin" | "developer" | "auditor"): Actor => ({ type: "user", id, label: `${id}@example.com`, role });
const dev = person("dev", "developer");
const ids = { orders: "", billing: "", archived: "" };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-devhome-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  const { db } = handle;
  await db.insert(schema.users).values(
    ["dev", "other", "ada"].map((id) => ({
      id,
      email: `${id}@example.com`,
      name: id,
      role: id === "ada" ? ("admin" as const) : ("developer" as const),
    })),
  );
  ids.orders = (await insertClusterWithCa(db, "orders-prod")).cluster.id;
  ids.billing = (await insertClusterWithCa(db, "billing-prod")).cluster.id;
  ids.archived = (await insertClusterWithCa(db, "old-prod")).cluster.id;
  await db.insert(schema.clusterAccess).values([
    { userId: "dev", clusterId: ids.orders, databaseUsers: ["reporting", "app"] },
    { userId: "dev", clusterId: ids.archived, databaseUsers: ["app"] },
    { userId: "other", clusterId: ids.billing, databaseUsers: ["billing"] },
  ]);
  await db
    .update(schema.clusters)
    .set({ archivedAt: sql`now()` })
    .where(eq(schema.clusters.id, ids.archived));
  const client = (
    clusterId: string,
    databaseUser: string,
    ownerUserId: string,
    notAfter: Date,
    status: "active" | "revoked" | "superseded" | "expired" = "active",
  ) =>
    certificateRow(clusterId, {
      kind: "client",
      commonName: databaseUser,
      databaseUser,
      ownerUserId,
      notBefore: at(-300),
      notAfter,
      status,
      ...(status === "revoked" ? { revokedAt: at(-1), revocationReason: "keyCompromise" as const } : {}),
    });
  await db.insert(schema.certificates).values([
    client(ids.orders, "app", "dev", at(200)),
    client(ids.orders, "reporting", "dev", at(12)),
    client(ids.orders, "app", "dev", at(-5), "expired"), // lapsed last week: still shown
    client(ids.orders, "app", "dev", at(-45)), // long gone
    client(ids.orders, "app", "dev", at(300), "revoked"),
    client(ids.orders, "app", "dev", at(100), "superseded"),
    client(ids.orders, "app", "other", at(50)), // someone else's
    client(ids.archived, "app", "dev", at(20)), // an archived cluster's: still theirs, still valid
  ]);
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("listMyDatabaseAccess", () => {
  it("lists the developer's granted clusters that still issue, with their database users and bundle lifetime", async () => {
    expect(await listMyDatabaseAccess(handle.db, dev)).toEqual([
      { clusterId: ids.orders, clusterName: "orders-prod", description: "", clientCertDays: 365, databaseUsers: ["app", "reporting"] },
    ]);
  });

  it("is empty for a developer without grants, for other roles and for tokens", async () => {
    expect(await listMyDatabaseAccess(handle.db, person("nobody", "developer"))).toEqual([]);
    expect(await listMyDatabaseAccess(handle.db, person("ada", "admin"))).toEqual([]);
    expect(
      await listMyDatabaseAccess(handle.db, {
        type: "token",
        id: "t",
        label: "token",
        role: "developer",
        clusterIds: [ids.orders],
        userId: "dev",
      }),
    ).toEqual([]);
  });
});

describe("listMyClientCertificates", () => {
  it("lists the certificates they hold, soonest end first: not revoked, superseded, others' or long expired", async () => {
    const held = await listMyClientCertificates(handle.db, dev, now);
    expect(held.map((c) => [c.clusterName, c.databaseUser, Math.round((c.notAfter.getTime() - now.getTime()) / DAY_MS)])).toEqual([
      ["orders-prod", "app", -5],
      ["orders-prod", "reporting", 12],
      ["old-prod", "app", 20],
      ["orders-prod", "app", 200],
    ]);
  });

  it("holds nothing for someone who downloaded nothing", async () => {
    expect(await listMyClientCertificates(handle.db, person("ada", "admin"), now)).toEqual([]);
  });
});
