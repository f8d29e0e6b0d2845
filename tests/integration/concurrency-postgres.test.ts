import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { parseCrl } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { addNode } from "@/lib/services/nodes/add-node";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { certificateRow } from "@/tests/support/db-fixtures";

/**
 * Concurrency as two app instances see it: two connection pools on one real PostgreSQL, the
 * work split between them, everything at once. The row locks (node row for re-issues, CA row
 * for CRL numbers) must make the outcome the same as if it had run one by one.
 */
let pg: PostgresServer;
let instances: [DatabaseHandle, DatabaseHandle];
const key = parseMasterKey(Buffer.alloc(32, 2).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const instance = (i: number) => instances[i % 2]!.db;

beforeAll(async () => {
  pg = await startPostgres({ databases: ["ctls"] });
  const url = pg.url.replace(/\/postgres$/, "/ctls");
  instances = [await openDatabase({ kind: "postgres", url }), await openDatabase({ kind: "postgres", url })];
  await createCluster(instance(0), admin, key, { name: "busy" });
});
afterAll(async () => {
  for (const handle of instances ?? []) await handle?.close();
  await pg?.stop();
});

describe("two instances on one PostgreSQL", () => {
  it("50 concurrent re-issues of one node: one active certificate, 51 unique serials, one unbroken lineage", async () => {
    const { node, certificate: first } = await addNode(instance(0), admin, keyRing, "busy", {
      hostname: "db1.busy.internal",
      role: "primary",
    });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => reissueNodeCertificate(instance(i), admin, keyRing, node.id)),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const rows = await instance(0)
      .select()
      .from(schema.certificates)
      .where(and(eq(schema.certificates.nodeId, node.id), eq(schema.certificates.kind, "server")));
    expect(rows).toHaveLength(51);
    expect(rows.filter((r) => r.status === "active")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "superseded")).toHaveLength(50);
    expect(new Set(rows.map((r) => r.serialHex)).size).toBe(51);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const chain: string[] = [];
    for (
      let current = rows.find((r) => r.status === "active");
      current;
      current = current.replacesCertificateId ? byId.get(current.replacesCertificateId) : undefined
    )
      chain.push(current.id);
    expect(chain).toHaveLength(51);
    expect(chain.at(-1)).toBe(first.id);
    // Each certificate replaced at most one other: no fork in the lineage.
    const replaced = rows.map((r) => r.replacesCertificateId).filter(Boolean);
    expect(new Set(replaced).size).toBe(replaced.length);
  });

  it("500 concurrent revocations of one CA: the last CRL lists all 500, CRL numbers strictly increase without gaps", async () => {
    const [ca] = await instance(0).select().from(schema.certificateAuthorities);
    const before = await getCurrentCrl(instance(0), admin, "busy");
    const serials = Array.from({ length: 500 }, (_, i) => `${(0x20000000 + i).toString(16).toUpperCase()}${"CD".repeat(12)}`);
    await instance(0)
      .insert(schema.certificates)
      .values(
        serials.map((serialHex) =>
          certificateRow(ca!.clusterId, { kind: "client", issuerCaId: ca!.id, serialHex, databaseUser: "app", commonName: "app" }),
        ),
      );
    const results = await Promise.allSettled(
      serials.map((serial, i) => revokeCertificate(instance(i), admin, keyRing, serial, "keyCompromise")),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const crl = await getCurrentCrl(instance(1), admin, "busy");
    const listed = new Set(parseCrl(crl.der).entries.map((e) => e.serialHex));
    for (const serial of serials) expect(listed.has(serial), serial).toBe(true);
    const numbers = (await instance(0).select({ n: schema.crls.crlNumber }).from(schema.crls).where(eq(schema.crls.caId, ca!.id)))
      .map((r) => r.n)
      .sort((a, b) => (a < b ? -1 : 1));
    const issued = numbers.filter((n) => n > before.crlNumber);
    expect(issued).toHaveLength(500);
    issued.forEach((n, i) => expect(n).toBe(before.crlNumber + BigInt(i + 1)));
  });

  it("a bulk re-issue on one instance and single re-issues of the same nodes on the other: one active certificate per node", async () => {
    const nodes = [];
    for (let i = 0; i < 30; i++)
      nodes.push((await addNode(instance(0), admin, keyRing, "busy", { hostname: `bulk${i}.busy.internal`, role: "replica" })).node);
    const [bulk, ...singles] = await Promise.allSettled([
      bulkReissueNodes(instance(0), admin, keyRing, "busy", { nodeIds: nodes.map((n) => n.id) }),
      ...nodes.slice(0, 10).map((n) => reissueNodeCertificate(instance(1), admin, keyRing, n.id)),
    ]);
    expect(bulk.status).toBe("fulfilled");
    expect(singles.filter((r) => r.status === "rejected")).toEqual([]);
    for (const node of nodes) {
      const active = await instance(1)
        .select()
        .from(schema.certificates)
        .where(and(eq(schema.certificates.nodeId, node.id), eq(schema.certificates.status, "active")));
      // One server certificate and one replication certificate, each re-issued with the other.
      expect(active.map((c) => c.kind).sort(), node.hostname).toEqual(["client", "server"]);
    }
  });
});
