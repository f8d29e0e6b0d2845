// On the embedded database only this process writes, so the published-file cache
// trusts PGlite's change notices instead of asking for the PKI version on every request.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import { parseCrl } from "@/lib/pki";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { createPublishedFileCache, getPublishedFile, VERSION_RECHECK_MS } from "@/lib/services/clusters/get-published-file";
import { addNode } from "@/lib/services/nodes/add-node";

const key = parseMasterKey(Buffer.alloc(32, 29).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-published-pglite-"));
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  await createCluster(handle.db, admin, key, { name: "orders-prod" });
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const serials = (der: Uint8Array) => parseCrl(der).entries.map((e) => e.serialHex);

describe("published files on the embedded database", () => {
  it("serves a revocation's CRL on the very next request (the commit's notice arrives first)", async () => {
    const cache = createPublishedFileCache();
    for (let round = 0; round < 3; round++) {
      const { certificate } = await addNode(handle.db, admin, keyRing, "orders-prod", {
        hostname: `db${round}.orders.internal`,
        role: "replica",
      });
      const before = await getPublishedFile(handle.db, admin, "orders-prod", "crl", cache);
      expect(cache.versions.size).toBe(1); // the version came from memory, not a query per request
      await revokeCertificate(handle.db, admin, keyRing, certificate.serialHex);
      const after = await getPublishedFile(handle.db, admin, "orders-prod", "crl", cache);
      expect(after.etag).not.toBe(before.etag);
      expect(serials(after.body)).toContain(certificate.serialHex);
    }
  });

  it("re-reads the version after VERSION_RECHECK_MS even if a change came without a notice", async () => {
    let clock = 5_000_000;
    const cache = createPublishedFileCache({ now: () => clock });
    const before = await getPublishedFile(handle.db, admin, "orders-prod", "crl.pem", cache);
    // A change the triggers never see (replica mode skips them), version bumped by hand: no notice.
    await handle.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.execute(sql`
        INSERT INTO crls (ca_id, crl_number, this_update, next_update, entry_count, der)
        SELECT ca.id, ca.next_crl_number + 1000, now(), crls.next_update, crls.entry_count, crls.der
        FROM certificate_authorities ca JOIN clusters c ON c.id = ca.cluster_id JOIN crls ON crls.ca_id = ca.id
        WHERE c.name = 'orders-prod' ORDER BY crls.crl_number DESC LIMIT 1`);
      await tx.execute(
        sql`UPDATE pki_versions SET version = nextval('pki_version_seq') WHERE cluster_id = (SELECT id FROM clusters WHERE name = 'orders-prod')`,
      );
    });
    clock += VERSION_RECHECK_MS - 1;
    expect(await getPublishedFile(handle.db, admin, "orders-prod", "crl.pem", cache)).toBe(before);
    clock += 1;
    const after = await getPublishedFile(handle.db, admin, "orders-prod", "crl.pem", cache);
    expect(after).not.toBe(before);
    // Same bytes (the copied CRL equals the last one), so the same ETag: clients see no change.
    expect(after.etag).toBe(before.etag);
  });

  it("does not remember a cluster that does not exist yet", async () => {
    const cache = createPublishedFileCache();
    await expect(getPublishedFile(handle.db, admin, "late-prod", "root.crt", cache)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await createCluster(handle.db, admin, key, { name: "late-prod" });
    await expect(getPublishedFile(handle.db, admin, "late-prod", "root.crt", cache)).resolves.toMatchObject({ clusterName: "late-prod" });
  });
});
