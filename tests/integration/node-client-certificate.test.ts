// A node's own client certificate (a replica's replication login, PgBouncer's backend login) is
// issued by deliberate actions — adding the node, re-issuing it (one node, in bulk, by a CA
// rotation) — and a bundle download only reads it: a GET changes nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { parseCertificate } from "@/lib/pki";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

const key = parseMasterKey(Buffer.alloc(32, 41).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
let dir: string;
let handle: DatabaseHandle;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-node-client-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  await createCluster(handle.db, admin, key, { name: "repl" });
  await addNode(handle.db, admin, keyRing, "repl", { hostname: "db1.repl.internal", role: "primary" });
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const { certificates } = schema;
const certificateCount = async () => (await handle.db.select({ id: certificates.id }).from(certificates)).length;
const clientRows = (nodeId: string) =>
  handle.db
    .select()
    .from(certificates)
    .where(and(eq(certificates.nodeId, nodeId), eq(certificates.kind, "client")));
const activeClient = async (nodeId: string) => (await clientRows(nodeId)).filter((c) => c.status === "active");

async function download(nodeId: string) {
  const files = unzipSync(new Uint8Array((await issueServerBundle(handle.db, admin, keyRing, nodeId)).zip));
  const file = (suffix: string) => Object.entries(files).find(([name]) => name.endsWith(suffix))?.[1];
  const text = (suffix: string) => {
    const data = file(suffix);
    return data ? strFromU8(data) : undefined;
  };
  return { text };
}
const serialOf = async (pem: string | undefined) => (await parseCertificate(pem!)).serialHex;

describe("a node's own client certificate", () => {
  it("is issued with a replica, its key stored encrypted; two downloads give the same one and issue nothing", async () => {
    const { node } = await addNode(handle.db, admin, keyRing, "repl", { hostname: "db2.repl.internal", role: "replica" });
    const [issued] = await activeClient(node.id);
    expect(issued).toMatchObject({ databaseUser: "replicator", status: "active" });
    expect(issued!.encryptedPrivateKey).toMatch(/^ctls1\./);
    const before = await certificateCount();

    const first = await download(node.id);
    const second = await download(node.id);
    expect(await certificateCount()).toBe(before);
    expect(await serialOf(first.text("/replication.crt"))).toBe(issued!.serialHex);
    expect(await serialOf(second.text("/replication.crt"))).toBe(issued!.serialHex);
    expect(first.text("/replication.key")).toBe(decryptSecret(issued!.encryptedPrivateKey!, keyRing.all).toString("utf8"));
    expect(second.text("/replication.key")).toBe(first.text("/replication.key"));
  });

  it("is issued with a PgBouncer node too (its backend login), and read by downloads", async () => {
    const { node } = await addNode(handle.db, admin, keyRing, "repl", { hostname: "pool1.repl.internal", role: "pgbouncer" });
    const [issued] = await activeClient(node.id);
    expect(issued).toMatchObject({ databaseUser: "pgbouncer" });
    const before = await certificateCount();
    expect(await serialOf((await download(node.id)).text("/pgbouncer-client.crt"))).toBe(issued!.serialHex);
    expect(await certificateCount()).toBe(before);
  });

  it("re-issuing the node issues a new one and supersedes the old", async () => {
    const { node } = await addNode(handle.db, admin, keyRing, "repl", { hostname: "db3.repl.internal", role: "replica" });
    const [old] = await activeClient(node.id);
    await reissueNodeCertificate(handle.db, admin, keyRing, node.id);
    const rows = await clientRows(node.id);
    const [current] = rows.filter((c) => c.status === "active");
    expect(rows).toHaveLength(2);
    expect(rows.find((c) => c.id === old!.id)!.status).toBe("superseded");
    expect(current).toMatchObject({ replacesCertificateId: old!.id, databaseUser: "replicator" });
    expect(current!.serialHex).not.toBe(old!.serialHex);
    expect(await serialOf((await download(node.id)).text("/replication.crt"))).toBe(current!.serialHex);
  });

  it("a bulk re-issue (as a CA rotation runs it) issues new ones for the nodes that have one", async () => {
    const nodes = await handle.db.select().from(schema.nodes);
    const before = new Map<string, string>();
    for (const node of nodes) for (const row of await activeClient(node.id)) before.set(node.id, row.serialHex);
    const result = await bulkReissueNodes(handle.db, admin, keyRing, "repl");
    expect(result).toMatchObject({ total: nodes.length, reissued: nodes.length, failed: [] });
    for (const node of nodes) {
      const active = await activeClient(node.id);
      if (node.role === "primary") expect(active).toEqual([]);
      else {
        expect(active).toHaveLength(1);
        expect(active[0]!.serialHex).not.toBe(before.get(node.id));
      }
    }
  });

  it("a replica from before they were stored gets none from a download, is told to re-issue, and gets one by re-issuing", async () => {
    const { node } = await addNode(handle.db, admin, keyRing, "repl", { hostname: "db4.repl.internal", role: "replica" });
    // Before, a download issued the certificate and stored it without its key.
    await handle.db
      .update(certificates)
      .set({ encryptedPrivateKey: null })
      .where(and(eq(certificates.nodeId, node.id), eq(certificates.kind, "client")));
    const before = await certificateCount();
    const bundle = await download(node.id);
    expect(await certificateCount()).toBe(before);
    expect(bundle.text("/replication.crt")).toBeUndefined();
    expect(bundle.text("/replication.key")).toBeUndefined();
    expect(bundle.text("/README.md")).toMatch(/no replication\.crt.*re-issue/is);

    await reissueNodeCertificate(handle.db, admin, keyRing, node.id);
    const [current] = await activeClient(node.id);
    expect(await serialOf((await download(node.id)).text("/replication.crt"))).toBe(current!.serialHex);
  });
});
