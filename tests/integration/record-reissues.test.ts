import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle, type Transaction } from "@/lib/db";
import { issueServerCertificate } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { recordReissues } from "@/lib/services/nodes/record-reissues";
import { loadClusterIssuer } from "@/lib/services/pki/load-cluster-issuer";

let dir: string;
let handle: DatabaseHandle;
const key = parseMasterKey(Buffer.alloc(32, 7).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
let clusterId = "";
const nodes: { id: string; hostname: string }[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-record-reissues-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  clusterId = (await createCluster(handle.db, admin, key, { name: "order" })).id;
  for (let i = 0; i < 4; i++)
    nodes.push((await addNode(handle.db, admin, keyRing, "order", { hostname: `db${i}.order.internal`, role: "primary" })).node);
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The transaction as PostgreSQL may legally behave: INSERT … RETURNING into certificates hands
 * its rows back in an order other than VALUES order (here: reversed).
 */
function withReturningReversed(tx: Transaction): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop !== "insert") return typeof value === "function" ? value.bind(target) : value;
      return (table: unknown) => {
        const builder = target.insert(table as typeof schema.certificates);
        if (table !== schema.certificates) return builder;
        return {
          values: (rows: never) => {
            const query = builder.values(rows);
            return {
              returning: async (...fields: never[]) =>
                [...(await (query.returning as (...f: never[]) => Promise<unknown[]>)(...fields))].reverse(),
            };
          },
        };
      };
    },
  });
}

describe("recordReissues", () => {
  it("returns each node's new certificate in the order of the re-issues, whatever order RETURNING gives", async () => {
    const clusterIssuer = await loadClusterIssuer(handle.db, clusterId, keyRing.all);
    const reissues = await Promise.all(
      nodes.map(async (node) => ({
        node,
        leaf: await issueServerCertificate({
          issuer: clusterIssuer.issuer,
          days: 30,
          dnsNames: [node.hostname],
          key: { generate: "ecdsa-p256" },
        }),
        previous: (
          await handle.db
            .select({ id: schema.certificates.id, serialHex: schema.certificates.serialHex, issuerCaId: schema.certificates.issuerCaId })
            .from(schema.certificates)
            .where(
              and(
                eq(schema.certificates.nodeId, node.id),
                eq(schema.certificates.kind, "server"),
                eq(schema.certificates.status, "active"),
              ),
            )
        )[0]!,
      })),
    );
    const recorded = await handle.db.transaction((tx) =>
      recordReissues(withReturningReversed(tx), admin, keyRing, { clusterId, clusterIssuer, reissues }),
    );
    expect(recorded.map((row) => [row.nodeId, row.serialHex])).toEqual(reissues.map(({ node, leaf }) => [node.id, leaf.serialHex]));
  });
});
