import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { derToPem, parseCrl } from "@/lib/pki";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { regenerateCrl } from "@/lib/services/pki/regenerate-crl";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { certificateRow } from "@/tests/support/db-fixtures";

/**
 * The product's CRL from the database: every revoked, unexpired certificate of the CA with its
 * time and reason, none of another CA's, none expired — past one query page (20,000), on PGlite
 * and on real PostgreSQL — and OpenSSL reads the same list.
 */
const key = parseMasterKey(Buffer.alloc(32, 8).toString("base64"), "test");
const COUNT = 20_500;
let pg: PostgresServer;
const dirs: string[] = [];

beforeAll(async () => {
  pg = await startPostgres({ databases: ["crl"] });
});
afterAll(async () => {
  await pg?.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(["pglite", "postgres"] as const)("regenerateCrl on %s", (kind) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-crl-"));
    dirs.push(dir);
    handle = await openDatabase(kind === "pglite" ? { kind, dataDir: dir } : { kind, url: pg.url.replace(/\/postgres$/, "/crl") });
  });
  afterAll(() => handle?.close());

  it("lists every revoked, unexpired certificate of the CA with its time and reason, across pages", async () => {
    const mine = await createCluster(handle.db, { type: "cli", label: "test" }, key, { name: "mine" });
    const other = await createCluster(handle.db, { type: "cli", label: "test" }, key, { name: "other" });
    const caOf = async (clusterId: string) =>
      (await handle.db.select().from(schema.certificateAuthorities).where(eq(schema.certificateAuthorities.clusterId, clusterId)))[0]!.id;
    const [caId, otherCaId] = [await caOf(mine.id), await caOf(other.id)];
    const base = Date.UTC(2026, 0, 1);
    const expected = new Map<string, { at: number; reason?: string }>();
    const rows = Array.from({ length: COUNT }, (_, i) => {
      const serialHex = (0x10000000 + i).toString(16).toUpperCase() + "AB".repeat(12);
      const reason = i % 4 === 0 ? "keyCompromise" : i % 4 === 1 ? "superseded" : undefined;
      expected.set(serialHex, { at: base + i * 1000, reason });
      return certificateRow(mine.id, {
        issuerCaId: caId,
        serialHex,
        status: "revoked",
        revokedAt: new Date(base + i * 1000),
        revocationReason: reason ?? null,
      });
    });
    for (let i = 0; i < rows.length; i += 2_000) await handle.db.insert(schema.certificates).values(rows.slice(i, i + 2_000));
    // Not on the list: another CA's, an expired one, an active one.
    await handle.db.insert(schema.certificates).values([
      certificateRow(other.id, { issuerCaId: otherCaId, serialHex: "0A0A", status: "revoked", revokedAt: new Date() }),
      certificateRow(mine.id, {
        issuerCaId: caId,
        serialHex: "0B0B",
        status: "revoked",
        revokedAt: new Date(base),
        notBefore: new Date(base - 86_400_000),
        notAfter: new Date(base + 1000),
      }),
      certificateRow(mine.id, { issuerCaId: caId, serialHex: "0C0C" }),
    ]);

    const { entryCount } = await handle.db.transaction((tx) => regenerateCrl(tx, caId, [key]));
    expect(entryCount).toBe(COUNT);
    const latest = (await handle.db.select().from(schema.crls).where(eq(schema.crls.caId, caId))).sort((a, b) =>
      Number(b.crlNumber - a.crlNumber),
    )[0]!;
    const entries = parseCrl(latest.der).entries;
    expect(entries).toHaveLength(COUNT);
    for (const entry of entries) {
      const want = expected.get(entry.serialHex);
      expect(want, entry.serialHex).toBeDefined();
      expect(entry.revokedAt.getTime()).toBe(want!.at);
      expect(entry.reason).toBe(want!.reason);
    }
    const crlFile = path.join(dirs.at(-1)!, "crl.pem");
    fs.writeFileSync(crlFile, derToPem(latest.der, "X509 CRL"));
    const text = spawnSync("openssl", ["crl", "-in", crlFile, "-noout", "-text"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).stdout;
    expect(text.match(/Serial Number:/g)).toHaveLength(COUNT);
  });
});

describe("regenerateCrl on postgres, beside issuance", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ kind: "postgres", url: pg.url.replace(/\/postgres$/, "/crl") });
  });
  afterAll(() => handle?.close());

  // Inserting a certificate takes KEY SHARE on its CA row (the foreign-key check); a re-issue that
  // revokes the previous certificate then re-signs the CRL, which locks that row. Two of them at once
  // (revoke + re-issue on two nodes of one cluster) each waited for the other's KEY SHARE: a deadlock.
  it("two transactions that issued under the CA re-sign its CRL one after the other, without a deadlock", async () => {
    const cluster = await createCluster(handle.db, { type: "cli", label: "test" }, key, { name: "race" });
    const [ca] = await handle.db
      .select()
      .from(schema.certificateAuthorities)
      .where(eq(schema.certificateAuthorities.clusterId, cluster.id));
    let arrived = 0;
    let release!: () => void;
    const bothInserted = new Promise<void>((resolve) => (release = resolve));
    const issueThenResign = () =>
      handle.db.transaction(async (tx) => {
        await tx.insert(schema.certificates).values(certificateRow(cluster.id, { issuerCaId: ca!.id }));
        if (++arrived === 2) release();
        await bothInserted;
        return regenerateCrl(tx, ca!.id, [key]);
      });
    const numbers = (await Promise.all([issueThenResign(), issueThenResign()])).map((r) => r.crlNumber).sort();
    expect(numbers).toEqual([numbers[0]!, numbers[0]! + 1n]);
  });
});
