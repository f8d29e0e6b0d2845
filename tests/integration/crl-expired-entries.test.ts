import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { derToPem } from "@/lib/pki";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { certificateRow } from "@/tests/support/db-fixtures";
import { OpensslWorkspace } from "@/tests/support/openssl-workspace";

/**
 * RFC 5280 §3.3 / §5.1.2.6: a revoked certificate's entry may leave the CRL after it appeared on
 * one CRL issued beyond the certificate's validity period — not before. Short-lived login
 * certificates thus stay on the list as long as they could be presented, and no longer.
 */
const key = parseMasterKey(Buffer.alloc(32, 4).toString("base64"), "test");
const HOUR = 3_600_000;
let dir: string;
let handle: DatabaseHandle;
const openssl = new OpensslWorkspace();

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-crl-expiry-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
});
afterAll(async () => {
  await handle?.close();
  openssl.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The serials on a CRL, as `openssl crl -text` reads them. */
async function serialsOn(caId: string, crlNumber: bigint) {
  const [crl] = await handle.db
    .select()
    .from(schema.crls)
    .where(eq(schema.crls.caId, caId))
    .then((rows) => rows.filter((r) => r.crlNumber === crlNumber));
  const text = openssl.run("crl", "-in", openssl.write(`crl-${crlNumber}.pem`, derToPem(crl!.der, "X509 CRL")), "-noout", "-text").out;
  return [...text.matchAll(/Serial Number: ([0-9A-F]+)/g)].map((m) => m[1]!);
}

describe("expired entries leave the CRL after one CRL past their notAfter", () => {
  it("a revoked certificate stays on the first CRL issued after it expired and is gone from the next", async () => {
    const cluster = await createCluster(handle.db, { type: "cli", label: "test" }, key, { name: "short-lived" });
    const [ca] = await handle.db
      .select()
      .from(schema.certificateAuthorities)
      .where(eq(schema.certificateAuthorities.clusterId, cluster.id));
    const t0 = Date.now();
    const expiresSoon = certificateRow(cluster.id, {
      issuerCaId: ca!.id,
      kind: "client",
      serialHex: "0DE71CE0",
      status: "revoked",
      revokedAt: new Date(t0),
      notBefore: new Date(t0 - HOUR),
      notAfter: new Date(t0 + HOUR),
    });
    // Revoked only after it had expired: it still must reach one CRL.
    const revokedLate = certificateRow(cluster.id, {
      issuerCaId: ca!.id,
      kind: "client",
      serialHex: "0DE7A7E0",
      status: "revoked",
      revokedAt: new Date(t0 + 3 * HOUR),
      notBefore: new Date(t0 - HOUR),
      notAfter: new Date(t0 + HOUR),
    });
    const longLived = certificateRow(cluster.id, {
      issuerCaId: ca!.id,
      kind: "client",
      serialHex: "0A11FE",
      status: "revoked",
      revokedAt: new Date(t0),
    });
    await handle.db.insert(schema.certificates).values([expiresSoon, longLived]);

    const crlAt = async (at: number) => (await handle.db.transaction((tx) => regenerateCrl(tx, ca!.id, [key], new Date(at)))).crlNumber;
    expect(await serialsOn(ca!.id, await crlAt(t0 + 60_000))).toEqual(["0A11FE", "0DE71CE0"]);
    // First CRL after its notAfter: still listed.
    expect(await serialsOn(ca!.id, await crlAt(t0 + 2 * HOUR))).toEqual(["0A11FE", "0DE71CE0"]);
    // The next one: gone; the unexpired one stays.
    expect(await serialsOn(ca!.id, await crlAt(t0 + 2 * HOUR + 60_000))).toEqual(["0A11FE"]);

    await handle.db.insert(schema.certificates).values(revokedLate);
    expect(await serialsOn(ca!.id, await crlAt(t0 + 3 * HOUR + 60_000))).toEqual(["0A11FE", "0DE7A7E0"]);
    expect(await serialsOn(ca!.id, await crlAt(t0 + 3 * HOUR + 120_000))).toEqual(["0A11FE"]);
  });
});
