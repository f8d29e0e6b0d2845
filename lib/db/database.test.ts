import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certificateRow, insertClusterWithCa } from "@/tests/support/db-fixtures";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { getOverview } from "@/lib/services/get-overview";
import { openDatabase } from "./client";
import { pgErrorCode } from "./errors";
import * as schema from "./schema";
import type { DatabaseConfig } from "@/lib/config";
import type { DatabaseHandle } from "./types";
import { rowsOf } from "./rows";

async function expectPgError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected PostgreSQL error ${code}`).not.toBeNull();
  expect(pgErrorCode(error)).toBe(code);
}

type Backend = { name: string; setUp: () => Promise<DatabaseConfig>; tearDown: () => Promise<void> };

let tempDir = "";
let server: PostgresServer | undefined;
const BACKENDS: Backend[] = [
  {
    name: "PGlite",
    setUp: async () => {
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-db-"));
      return { kind: "pglite", dataDir: path.join(tempDir, "pglite") };
    },
    tearDown: async () => fs.rmSync(tempDir, { recursive: true, force: true }),
  },
  {
    name: "PostgreSQL 15",
    setUp: async () => {
      server = await startPostgres({ databases: ["cluster_tls"] });
      return { kind: "postgres", url: server.url.replace(/\/postgres$/, "/cluster_tls") };
    },
    tearDown: async () => server?.stop(),
  },
];

describe.each(BACKENDS)("database layer on $name", (backend) => {
  let config: DatabaseConfig;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    config = await backend.setUp();
    handle = await openDatabase(config);
  });
  afterAll(async () => {
    await handle?.close();
    await backend.tearDown();
  });

  it("applies every migration, and re-applying them is a no-op", async () => {
    const tables = await handle.db.execute(sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
    // Every table the schema declares exists (and nothing else in public).
    const declared = Object.values(schema).filter((value) => is(value, PgTable)).length;
    expect(rowsOf<{ n: number }>(tables)[0]!.n).toBe(declared);
    await handle.close();
    handle = await openDatabase(config); // second start: migrations already recorded
    const applied = await handle.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    const journal = JSON.parse(fs.readFileSync(path.join(process.cwd(), "drizzle/meta/_journal.json"), "utf8"));
    expect(rowsOf<{ n: number }>(applied)[0]!.n).toBe(journal.entries.length);
  });

  it("refuses a second cluster with the same name", async () => {
    await insertClusterWithCa(handle.db, "orders-prod");
    await expectPgError(handle.db.insert(schema.clusters).values({ name: "orders-prod" }), "23505");
  });

  it("keeps serials unique per issuing CA but not across CAs", async () => {
    const a = await insertClusterWithCa(handle.db, "serials-a");
    const b = await insertClusterWithCa(handle.db, "serials-b");
    const serialHex = "7F0011223344556677889900AABBCCDD";
    await handle.db.insert(schema.certificates).values(certificateRow(a.cluster.id, { issuerCaId: a.ca.id, serialHex }));
    await handle.db.insert(schema.certificates).values(certificateRow(b.cluster.id, { issuerCaId: b.ca.id, serialHex }));
    await expectPgError(
      handle.db.insert(schema.certificates).values(certificateRow(a.cluster.id, { issuerCaId: a.ca.id, serialHex })),
      "23505",
    );
  });

  it("allows one active server certificate per node, any number of superseded ones", async () => {
    const { cluster, ca } = await insertClusterWithCa(handle.db, "one-active");
    const [node] = await handle.db
      .insert(schema.nodes)
      .values({ clusterId: cluster.id, hostname: "db1.example.internal", role: "primary" })
      .returning();
    const first = certificateRow(cluster.id, { issuerCaId: ca.id, nodeId: node!.id });
    const [inserted] = await handle.db.insert(schema.certificates).values(first).returning();
    await expectPgError(
      handle.db.insert(schema.certificates).values(certificateRow(cluster.id, { issuerCaId: ca.id, nodeId: node!.id })),
      "23505",
    );
    // Re-issue: supersede the old one and insert the new one in one transaction.
    await handle.db.transaction(async (tx) => {
      await tx.update(schema.certificates).set({ status: "superseded" }).where(eq(schema.certificates.id, inserted!.id));
      await tx
        .insert(schema.certificates)
        .values(certificateRow(cluster.id, { issuerCaId: ca.id, nodeId: node!.id, replacesCertificateId: inserted!.id }));
    });
    const rows = await handle.db.select().from(schema.certificates).where(eq(schema.certificates.nodeId, node!.id));
    expect(rows.map((r) => r.status).sort()).toEqual(["active", "superseded"]);
  });

  it("refuses a duplicate hostname in a cluster and invalid enum values", async () => {
    const { cluster } = await insertClusterWithCa(handle.db, "constraints");
    await handle.db.insert(schema.nodes).values({ clusterId: cluster.id, hostname: "db1", role: "primary" });
    await expectPgError(handle.db.insert(schema.nodes).values({ clusterId: cluster.id, hostname: "db1", role: "replica" }), "23505");
    await expectPgError(
      handle.db.insert(schema.nodes).values({ clusterId: cluster.id, hostname: "db2", role: "leader" as "primary" }),
      "23514",
    );
  });

  it("keeps the audit log append-only", async () => {
    const [event] = await handle.db
      .insert(schema.auditEvents)
      .values({ actorType: "system", actorLabel: "system", action: "test.append" })
      .returning();
    await expectPgError(
      handle.db.update(schema.auditEvents).set({ action: "tampered" }).where(eq(schema.auditEvents.id, event!.id)),
      "42501",
    );
    await expectPgError(handle.db.delete(schema.auditEvents).where(eq(schema.auditEvents.id, event!.id)), "42501");
    const [still] = await handle.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.id, event!.id));
    expect(still?.action).toBe("test.append");
  });

  it("rolls back every write of a failed transaction", async () => {
    const attempt = handle.db.transaction(async (tx) => {
      await tx.insert(schema.clusters).values({ name: "half-written" });
      await tx.insert(schema.clusters).values({ name: "half-written" }); // violates the unique name
    });
    await expectPgError(attempt, "23505");
    const rows = await handle.db.select().from(schema.clusters).where(eq(schema.clusters.name, "half-written"));
    expect(rows).toHaveLength(0);
  });

  it("counts what the Overview shows", async () => {
    const admin = { type: "cli", label: "test" } as const;
    const overview = await getOverview(handle.db, admin);
    const clusters = await handle.db.select().from(schema.clusters);
    expect(overview.clusters).toBe(clusters.length);
    expect(overview.activeCertificates).toBeGreaterThan(0);
    const soon = await getOverview(handle.db, admin, new Date(Date.now() + 70 * 86_400_000));
    expect(soon.expiringWithin30Days).toBe(overview.activeCertificates); // all fixtures expire in 90 days
  });
});
