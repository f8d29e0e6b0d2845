// One issuance policy per cluster, applied by every path: a key generated here (add node,
// re-issue, client bundle) and a CSR (node CSR, client CSR) refuse the same violation with the
// same code, message and field error.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { createCsr } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { signClientCsr } from "@/lib/services/certificates/sign-client-csr";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

const key = parseMasterKey(Buffer.alloc(32, 31).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
let dir: string;
let handle: DatabaseHandle;
let nodeId = "";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-issuance-policy-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  await createCluster(handle.db, admin, key, { name: "orders", serverCertDays: 90, clientCertDays: 30 });
  nodeId = (await addNode(handle.db, admin, keyRing, "orders", { hostname: "db1.orders.internal", role: "primary" })).node.id;
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const daysRefusal = (kind: string, max: number) => ({
  code: "VALIDATION_FAILED",
  message: `days: this cluster issues ${kind} certificates for at most ${max} days`,
  fieldErrors: { days: [`At most ${max}`] },
});

describe("the cluster's issuance policy", () => {
  it("refuses a lifetime past the cluster's maximum the same way for server and client, key generated here or from a CSR", async () => {
    const { csrPem: clientCsr } = await createCsr({ subject: { CN: "app" } });
    const { csrPem: serverCsr } = await createCsr({ subject: { CN: "db1.orders.internal" }, dnsNames: ["db1.orders.internal"] });
    await expect(issueClientBundle(handle.db, admin, keyRing, "orders", { databaseUser: "app", days: 31 })).rejects.toMatchObject(
      daysRefusal("client", 30),
    );
    await expect(
      signClientCsr(handle.db, admin, keyRing, "orders", { databaseUser: "app", days: 31, csrPem: clientCsr }),
    ).rejects.toMatchObject(daysRefusal("client", 30));
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem: serverCsr, days: 91 })).rejects.toMatchObject(
      daysRefusal("server", 90),
    );
    // The lifetime is judged before the CSR is read: a bad CSR with a bad lifetime is a lifetime error.
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem: "not a CSR", days: 91 })).rejects.toMatchObject(
      daysRefusal("server", 90),
    );
  });

  it("refuses names outside the permitted names with one code and message, generated key, CSR or bulk", async () => {
    // Saved by an earlier version (settings now refuse narrowing past a live node): the node's names are outside.
    await handle.db
      .update(schema.clusters)
      .set({ permittedNames: ["payments.internal"] })
      .where(eq(schema.clusters.name, "orders"));
    const refusal = {
      code: "NAME_NOT_PERMITTED",
      message: "db1.orders.internal is outside the cluster's permitted names (permitted: payments.internal)",
    };
    const { csrPem } = await createCsr({ subject: { CN: "db1.orders.internal" }, dnsNames: ["db1.orders.internal"] });
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId)).rejects.toMatchObject(refusal);
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem })).rejects.toMatchObject(refusal);
    // A CSR that names nothing gets the node's names: the same policy applies to them.
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem: (await createCsr({})).csrPem })).rejects.toMatchObject(
      refusal,
    );
    const bulk = await bulkReissueNodes(handle.db, admin, keyRing, "orders");
    expect(bulk.failed).toEqual([{ nodeId, hostname: "db1.orders.internal", error: expect.stringContaining(refusal.message) }]);
    await handle.db.update(schema.clusters).set({ permittedNames: [] }).where(eq(schema.clusters.name, "orders"));
  });

  it("refuses a wildcard a CSR asks for as a name the cluster does not permit, before asking whether the node holds it", async () => {
    const { csrPem } = await createCsr({ subject: { CN: "*.orders.internal" }, dnsNames: ["*.orders.internal"] });
    await expect(reissueNodeCertificate(handle.db, admin, keyRing, nodeId, { csrPem })).rejects.toMatchObject({
      code: "NAME_NOT_PERMITTED",
      message: expect.stringContaining("wildcard names are not allowed"),
    });
  });
});
