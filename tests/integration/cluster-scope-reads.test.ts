// A use case resolves its cluster scope — the cluster row, the actor's grants, the permission
// check — once, at its entry, and passes it down: inner steps (the issuer, root.crt, the grant
// check) do not read the cluster or the grants again. Counted here on the SQL actually sent.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type Database, type DatabaseHandle } from "@/lib/db";
import { createCsr } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { csrClientBundle } from "@/lib/services/certificates/sign-client-csr";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { grantClusterAccess } from "@/lib/services/users/set-cluster-access";

const key = parseMasterKey(Buffer.alloc(32, 23).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin: Actor = { type: "cli", label: "test" };
const developer: Actor = { type: "user", id: "dev-scope", label: "dev@example.com", role: "developer" };
let dir: string;
let handle: DatabaseHandle;
let counted: Database;
let nodeId = "";
const sent: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-scope-reads-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  await createCluster(handle.db, admin, key, { name: "orders-prod" });
  const { node } = await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "replica" });
  nodeId = node.id;
  await handle.db.insert(schema.users).values({ id: "dev-scope", email: "dev@example.com", name: "Dev", role: "developer" });
  const [cluster] = await handle.db.select({ id: schema.clusters.id }).from(schema.clusters);
  await grantClusterAccess(handle.db, admin, { userId: "dev-scope", clusterId: cluster!.id, databaseUsers: ["app"] });
  // The same database, through a Drizzle handle that logs every statement it sends (transactions included).
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  counted = drizzle({ client, schema, logger: { logQuery: (query) => void sent.push(query) } }) as unknown as Database;
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * SELECTs that read a table's rows directly (FROM it) while `run` runs. Joins are not counted: the
 * CRL's lifetime and a webhook's cluster name come along with other rows, not as a re-read.
 */
async function readsDuring(run: () => Promise<unknown>) {
  sent.length = 0;
  await run();
  const reads = (table: string) => sent.filter((q) => /^\s*select/i.test(q) && new RegExp(`from "${table}"`, "i").test(q)).length;
  return { clusters: reads("clusters"), grants: reads("cluster_access") };
}

describe("a use case resolves its cluster scope once", () => {
  it("a developer's client bundle reads the cluster row once and the grants once", async () => {
    const reads = await readsDuring(() => issueClientBundle(counted, developer, keyRing, "orders-prod", { databaseUser: "app" }));
    expect(reads).toEqual({ clusters: 1, grants: 1 });
  });

  it("a developer's client bundle from a CSR reads the cluster row once and the grants once", async () => {
    const { csrPem } = await createCsr({ subject: { CN: "app" } });
    const reads = await readsDuring(() => csrClientBundle(counted, developer, keyRing, "orders-prod", { databaseUser: "app", csrPem }));
    expect(reads).toEqual({ clusters: 1, grants: 1 });
  });

  it("a node re-issue (server and replication certificate) reads the cluster row once", async () => {
    const reads = await readsDuring(() => reissueNodeCertificate(counted, admin, keyRing, nodeId, { revokePrevious: true }));
    expect(reads.clusters).toBe(1);
  });

  it("adding a node reads the cluster row once", async () => {
    const reads = await readsDuring(() =>
      addNode(counted, admin, keyRing, "orders-prod", { hostname: "db2.orders.internal", role: "primary" }),
    );
    expect(reads.clusters).toBe(1);
  });
});
