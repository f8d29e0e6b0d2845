import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { refreshPlannerStatistics } from "@/lib/db/planner-statistics";
import { createCsr, parseCertificate, parseCrl } from "@/lib/pki";
import { decryptSecret } from "@/lib/secrets/envelope";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { addNode } from "@/lib/services/nodes/add-node";
import { bulkReissueNodes } from "@/lib/services/nodes/bulk-reissue";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

let dir: string;
let handle: DatabaseHandle;
const key = parseMasterKey(Buffer.alloc(32, 4).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const NODES = 60; // more than two chunks
let clusterId = "";
const nodeIds: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-bulk-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  clusterId = (await createCluster(handle.db, admin, key, { name: "fleet", sharedDnsNames: ["pg-rw.fleet.internal"] })).id;
  for (let i = 0; i < NODES; i++)
    nodeIds.push(
      (
        await addNode(handle.db, admin, keyRing, "fleet", {
          hostname: `db${i}.fleet.internal`,
          role: "replica",
          ipAddresses: [`10.0.0.${i + 1}`],
        })
      ).node.id,
    );
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const serverCertificates = () =>
  handle.db
    .select()
    .from(schema.certificates)
    .where(and(eq(schema.certificates.clusterId, clusterId), eq(schema.certificates.kind, "server")));

describe("bulk re-issue", () => {
  it("gives every node one new active certificate with its names and its own encrypted key, lineage and an audit row each", async () => {
    const before = new Map((await serverCertificates()).map((c) => [c.nodeId, c]));
    const progress: number[] = [];
    const result = await bulkReissueNodes(handle.db, admin, keyRing, "fleet", { onProgress: (done) => progress.push(done) });
    expect(result).toEqual({ total: NODES, reissued: NODES, failed: [] });
    expect(progress.at(-1)).toBe(NODES);

    const all = await serverCertificates();
    const active = all.filter((c) => c.status === "active");
    expect(active).toHaveLength(NODES);
    expect(new Set(active.map((c) => c.nodeId)).size).toBe(NODES);
    expect(new Set(all.map((c) => c.serialHex)).size).toBe(all.length);
    for (const certificate of active) {
      const previous = before.get(certificate.nodeId)!;
      expect(certificate.replacesCertificateId).toBe(previous.id);
      expect(all.find((c) => c.id === previous.id)!.status).toBe("superseded");
      // What was recorded without parsing is what the certificate says.
      const parsed = await parseCertificate(certificate.certificatePem);
      expect({
        subject: certificate.subject,
        dnsNames: certificate.dnsNames,
        ipAddresses: certificate.ipAddresses,
        fingerprint: certificate.fingerprintSha256,
      }).toEqual({
        subject: parsed.subject,
        dnsNames: parsed.dnsNames,
        ipAddresses: parsed.ipAddresses,
        fingerprint: parsed.fingerprintSha256,
      });
      expect(certificate.dnsNames).toContain("pg-rw.fleet.internal");
      expect(certificate.encryptedPrivateKey).toMatch(/^ctls1\./);
    }
    const sample = active[0]!;
    expect(decryptSecret(sample.encryptedPrivateKey!, [key]).toString("utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const audit = await handle.db
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, "node.reissue"), eq(schema.auditEvents.clusterId, clusterId)));
    expect(audit).toHaveLength(NODES);
    expect(audit[0]!.details).toMatchObject({ bulk: true });
  });

  it("with revokePrevious revokes every replaced certificate and the CRL lists them all", async () => {
    const replaced = (await serverCertificates()).filter((c) => c.status === "active").map((c) => c.serialHex);
    const crlBefore = await getCurrentCrl(handle.db, admin, "fleet");
    const result = await bulkReissueNodes(handle.db, admin, keyRing, "fleet", { revokePrevious: true });
    expect(result.reissued).toBe(NODES);
    const crl = await getCurrentCrl(handle.db, admin, "fleet");
    expect(crl.crlNumber).toBeGreaterThan(crlBefore.crlNumber);
    const listed = new Set(parseCrl(crl.der).entries.map((e) => e.serialHex));
    for (const serial of replaced) expect(listed).toContain(serial);
  });

  it("keeps a CSR-keyed node's own key, takes a subset, and names unknown nodes", async () => {
    const csr = await createCsr({ subject: { CN: "db0.fleet.internal" }, dnsNames: ["db0.fleet.internal"] });
    const signed = await reissueNodeCertificate(handle.db, admin, keyRing, nodeIds[0]!, { csrPem: csr.csrPem });
    const result = await bulkReissueNodes(handle.db, admin, keyRing, "fleet", { nodeIds: nodeIds.slice(0, 3) });
    expect(result).toMatchObject({ total: 3, reissued: 3, failed: [] });
    const [kept] = await handle.db
      .select()
      .from(schema.certificates)
      .where(and(eq(schema.certificates.nodeId, nodeIds[0]!), eq(schema.certificates.status, "active")));
    expect(kept!.fromCsr).toBe(true);
    expect(kept!.encryptedPrivateKey).toBeNull();
    expect((await parseCertificate(kept!.certificatePem)).publicKeySpki).toEqual(
      (await parseCertificate(signed.certificate.certificatePem)).publicKeySpki,
    );
    await expect(
      bulkReissueNodes(handle.db, admin, keyRing, "fleet", { nodeIds: ["00000000-0000-4000-8000-000000000000"] }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(
      await bulkReissueNodes(handle.db, admin, keyRing, "fleet", { nodeIds: ["00000000-0000-4000-8000-000000000000"], skipMissing: true }),
    ).toMatchObject({ total: 0, reissued: 0 });
  });

  it("skips a node removed since a job read its list (skipMissing), and goes on with the others", async () => {
    await handle.db
      .update(schema.nodes)
      .set({ removedAt: new Date() })
      .where(inArray(schema.nodes.id, [nodeIds[5]!]));
    const result = await bulkReissueNodes(handle.db, admin, keyRing, "fleet", { nodeIds: nodeIds.slice(4, 7), skipMissing: true });
    expect(result).toMatchObject({ total: 2, reissued: 2, failed: [] });
  });

  it("is for admins only", async () => {
    const developer = { type: "user", id: "dev", label: "dev@example.com", role: "developer" } as const;
    await expect(bulkReissueNodes(handle.db, developer, keyRing, "fleet")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("planner statistics on the embedded database", () => {
  it("analyzes a table whose row count moved past autovacuum's threshold, and only then", async () => {
    await refreshPlannerStatistics(handle.db);
    await handle.db
      .insert(schema.nodes)
      .values(Array.from({ length: 200 }, (_, i) => ({ clusterId, hostname: `extra${i}.fleet.internal`, role: "other" as const })));
    expect(await refreshPlannerStatistics(handle.db)).toContain("nodes");
    expect(await refreshPlannerStatistics(handle.db)).not.toContain("nodes");
  });
});
