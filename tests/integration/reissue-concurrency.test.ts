import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { parseCrl } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { addNode } from "@/lib/services/nodes/add-node";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { removeNode } from "@/lib/services/nodes/remove-node";
import { listNodes } from "@/lib/services/nodes/list-nodes";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";

let pg: PostgresServer;
let handle: DatabaseHandle;
const key = parseMasterKey(Buffer.alloc(32, 5).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;

beforeAll(async () => {
  pg = await startPostgres({ databases: ["ctls"] });
  handle = await openDatabase({ kind: "postgres", url: pg.url.replace(/\/postgres$/, "/ctls") });
});
afterAll(async () => {
  await handle?.close();
  await pg?.stop();
});

describe("re-issue on real PostgreSQL", () => {
  it("ten concurrent re-issues of one node leave exactly one active certificate and an unbroken lineage", async () => {
    await createCluster(handle.db, admin, key, { name: "orders-prod" });
    const { node, certificate: first } = await addNode(handle.db, admin, keyRing, "orders-prod", {
      hostname: "db1.orders.internal",
      role: "primary",
    });
    const results = await Promise.all(Array.from({ length: 10 }, () => reissueNodeCertificate(handle.db, admin, keyRing, node.id)));
    expect(results).toHaveLength(10);

    const rows = await handle.db
      .select()
      .from(schema.certificates)
      .where(and(eq(schema.certificates.nodeId, node.id), eq(schema.certificates.kind, "server")));
    expect(rows).toHaveLength(11);
    expect(rows.filter((r) => r.status === "active")).toHaveLength(1);
    expect(new Set(rows.map((r) => r.serialHex)).size).toBe(11);
    // Walk back from the active one: every certificate appears once, ending at the first.
    const byId = new Map(rows.map((r) => [r.id, r]));
    let current = rows.find((r) => r.status === "active");
    const seen = new Set<string>();
    while (current) {
      seen.add(current.id);
      current = current.replacesCertificateId ? byId.get(current.replacesCertificateId) : undefined;
    }
    expect(seen.size).toBe(11);
    expect(seen.has(first.id)).toBe(true);
  });

  it("revokePrevious revokes the old certificate and publishes it in a new CRL", async () => {
    const [node] = await handle.db.select().from(schema.nodes).limit(1);
    const before = await getCurrentCrl(handle.db, admin, "orders-prod");
    const { previousSerial } = await reissueNodeCertificate(handle.db, admin, keyRing, node!.id, { revokePrevious: true });
    const after = await getCurrentCrl(handle.db, admin, "orders-prod");
    expect(after.crlNumber).toBe(before.crlNumber + 1n);
    expect(parseCrl(after.der).entries).toEqual([expect.objectContaining({ serialHex: previousSerial, reason: "superseded" })]);
  });

  it("removing a node while it is being re-issued revokes every certificate it holds (cessationOfOperation) in one new CRL", async () => {
    const { node } = await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db9.orders.internal", role: "replica" });
    const before = await getCurrentCrl(handle.db, admin, "orders-prod");
    const [reissued, removed] = await Promise.allSettled([
      reissueNodeCertificate(handle.db, admin, keyRing, node.id),
      removeNode(handle.db, admin, keyRing, node.id),
    ]);
    expect(removed.status).toBe("fulfilled");
    const rows = await handle.db.select().from(schema.certificates).where(eq(schema.certificates.nodeId, node.id));
    // Whichever ran first, nothing of the removed node stays active.
    expect(rows.filter((r) => r.status === "active")).toEqual([]);
    // Its server certificate and its replication certificate (issued with the node, re-issued with it).
    const revoked = rows.filter((r) => r.revocationReason === "cessationOfOperation");
    expect(revoked.map((r) => r.kind).sort()).toEqual(["client", "server"]);
    const cessation = revoked.map((r) => r.serialHex);
    if (reissued.status === "fulfilled")
      expect(revoked.find((r) => r.kind === "server")!.serialHex).toBe(reissued.value.certificate.serialHex);
    const after = await getCurrentCrl(handle.db, admin, "orders-prod");
    expect(after.crlNumber).toBeGreaterThan(before.crlNumber);
    for (const serialHex of cessation)
      expect(parseCrl(after.der).entries).toContainEqual(expect.objectContaining({ serialHex, reason: "cessationOfOperation" }));
    expect((await listNodes(handle.db, node.clusterId)).rows.map((n) => n.hostname)).not.toContain("db9.orders.internal");
    // The name is free again for a replacement node.
    await expect(
      addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db9.orders.internal", role: "replica" }),
    ).resolves.toBeTruthy();
  });
});
