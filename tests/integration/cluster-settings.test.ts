import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import { archiveCluster, updateClusterSettings } from "@/lib/services/clusters/update-cluster-settings";
import { addNode } from "@/lib/services/nodes/add-node";
import { issueServerBundle } from "@/lib/services/nodes/issue-server-bundle";
import { unzipSync } from "fflate";

let handle: DatabaseHandle;
let dir: string;
const key = parseMasterKey(Buffer.alloc(32, 3).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-settings-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  await createCluster(handle.db, admin, key, { name: "orders-prod" });
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("cluster settings", () => {
  it("refuses values that would break install.sh or pg_hba, naming the field", async () => {
    for (const [field, value] of [
      ["dataDirectory", "/var/lib/pg'; rm -rf /"],
      ["dataDirectory", "relative/path"],
      ["dataDirectory", "/var/../etc"],
      ["osOwner", "root user"],
      ["hbaAuthMode", "trust"],
      ["replicationUser", "bad user"],
      ["crlDays", "0"],
    ] as const) {
      await expect(updateClusterSettings(handle.db, admin, "orders-prod", { [field]: value })).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        fieldErrors: { [field]: expect.any(Array) },
      });
    }
  });

  it("applies new settings to what is issued and downloaded next, and audits what changed", async () => {
    await updateClusterSettings(handle.db, admin, "orders-prod", {
      dataDirectory: "/srv/pg/data",
      osOwner: "enterprisedb",
      hbaAuthMode: "scram-cert",
      sharedDnsNames: "pg-rw.orders.internal",
      organization: "Acme",
    });
    const { node, certificate } = await addNode(handle.db, admin, keyRing, "orders-prod", {
      hostname: "db1.orders.internal",
      role: "primary",
    });
    expect(certificate.dnsNames).toEqual(["db1.orders.internal", "pg-rw.orders.internal"]);
    expect(certificate.subject).toBe("CN=db1.orders.internal,O=Acme");
    const files = unzipSync(new Uint8Array((await issueServerBundle(handle.db, admin, keyRing, node.id)).zip));
    const text = (name: string) => new TextDecoder().decode(Object.entries(files).find(([n]) => n.endsWith(`/${name}`))![1]);
    expect(text("install.sh")).toContain('TARGET="${1:-/srv/pg/data}"');
    expect(text("install.sh")).toContain('OWNER="${2:-enterprisedb}"');
    expect(text("pg_hba.conf.snippet")).toContain("scram-sha-256 clientcert=verify-full");
    const [audit] = await handle.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "cluster.update"));
    expect(audit!.details).toMatchObject({
      changes: { dataDirectory: { from: "/var/lib/postgresql/15/main", to: "/srv/pg/data" }, osOwner: { to: "enterprisedb" } },
    });
  });

  it("archiving keeps the history, hides the cluster and stops issuance; revocation still works", async () => {
    await expect(archiveCluster(handle.db, admin, "orders-prod", "orders")).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    const [active] = await handle.db.select().from(schema.certificates).where(eq(schema.certificates.kind, "server"));
    await archiveCluster(handle.db, admin, "orders-prod", "orders-prod");
    expect((await listClusters(handle.db, admin)).map((c) => c.name)).not.toContain("orders-prod");
    await expect(addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db2.orders.internal", role: "replica" })).rejects.toThrow(
      "orders-prod is archived: it issues no more certificates",
    );
    await expect(revokeCertificate(handle.db, admin, keyRing, active!.serialHex, "cessationOfOperation")).resolves.toMatchObject({
      status: "revoked",
    });
    await expect(archiveCluster(handle.db, admin, "orders-prod", "orders-prod")).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
