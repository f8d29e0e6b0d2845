import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, isNotNull } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { decryptSecret, encryptSecret, envelopeKeyId } from "@/lib/secrets/envelope";
import { beginKeyRotation, finishKeyRotation, type KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createBackup } from "@/lib/services/backup/create-backup";
import { restoreBackup } from "@/lib/services/backup/restore-backup";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";
import { rotateMasterKey } from "@/lib/services/secrets/rotate-master-key";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";

/**
 * Master-key rotation and backups while issuers keep writing (in this process, through the same
 * key ring the server uses): afterwards every stored secret opens with the new key alone, and a
 * backup taken under load restores with every row it held.
 */
const oldKey = parseMasterKey(Buffer.alloc(32, 11).toString("base64"), "old");
const newKey = parseMasterKey(Buffer.alloc(32, 12).toString("base64"), "new");
const keyRing: KeyRing = { current: oldKey, all: [oldKey], source: "test" };
const admin = { type: "cli", label: "test" } as const;
let dir: string;
let handle: DatabaseHandle;
const nodeIds: string[] = [];

let pg: PostgresServer;

// On real PostgreSQL the writers' transactions run beside the sweep's: the race is widest there.
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-keys-load-"));
  pg = await startPostgres({ databases: ["ctls"] });
  handle = await openDatabase({ kind: "postgres", url: pg.url.replace(/\/postgres$/, "/ctls") });
  await createCluster(handle.db, admin, oldKey, { name: "load" });
  for (let i = 0; i < 10; i++)
    nodeIds.push((await addNode(handle.db, admin, keyRing, "load", { hostname: `db${i}.load.internal`, role: "replica" })).node.id);
});
afterAll(async () => {
  await handle?.close();
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Issuers still writing: stopped after each test, also when it failed half-way. */
let stopRunningIssuers: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await stopRunningIssuers?.();
  stopRunningIssuers = undefined;
});

/** Issuers that keep re-issuing nodes and handing out client bundles until told to stop. */
function startIssuers(count: number) {
  let running = true;
  let writes = 0;
  const errors: unknown[] = [];
  const workers = Array.from({ length: count }, async (_, w) => {
    for (let i = 0; running; i++) {
      try {
        if (i % 3 === 0) await issueClientBundle(handle.db, admin, keyRing, "load", { databaseUser: `app${w}` });
        else await reissueNodeCertificate(handle.db, admin, keyRing, nodeIds[(w + i) % nodeIds.length]!);
        writes++;
      } catch (error) {
        errors.push(error);
      }
    }
  });
  const stop = async () => {
    running = false;
    await Promise.all(workers);
    return { writes, errors };
  };
  stopRunningIssuers = stop;
  return { stop };
}

describe("under write load", () => {
  it("a master-key rotation leaves nothing under the old key, even writes that raced the switch", async () => {
    const issuers = startIssuers(6);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // What the CLI does: switch the ring (new writes use the new key), sweep, drop the old key.
    const previous = beginKeyRotation(keyRing, newKey);
    const moved = await rotateMasterKey(handle.db, admin, previous, newKey, { settleMs: 500 });
    finishKeyRotation(keyRing);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { writes, errors } = await issuers.stop();
    expect(errors).toEqual([]);
    expect(writes).toBeGreaterThan(10);
    expect(moved).toBeGreaterThan(10);

    const envelopes = [
      ...(await handle.db.select({ e: schema.certificateAuthorities.encryptedPrivateKey }).from(schema.certificateAuthorities)).map(
        (r) => r.e,
      ),
      ...(await handle.db.select({ e: schema.certificates.encryptedPrivateKey }).from(schema.certificates)).flatMap((r) =>
        r.e ? [r.e] : [],
      ),
    ];
    expect(envelopes.filter((e) => envelopeKeyId(e) !== newKey.id)).toEqual([]);
    for (const envelope of envelopes) expect(decryptSecret(envelope, [newKey]).toString("utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it("a backup taken while issuers write restores every row it holds, and its keys open", async () => {
    const issuers = startIssuers(4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const backup = await createBackup(handle.db, admin, keyRing.current.id);
    const { errors } = await issuers.stop();
    expect(errors).toEqual([]);

    const restored = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "restored") });
    try {
      const counts = await restoreBackup(restored.db, admin, JSON.stringify(backup), newKey.id);
      for (const [table, rows] of Object.entries(backup.tables)) expect(counts[table], table).toBe(rows.length);
      const certificates = await restored.db.select().from(schema.certificates);
      expect(certificates).toHaveLength(backup.tables.certificates!.length);
      for (const row of certificates)
        if (row.encryptedPrivateKey) expect(() => decryptSecret(row.encryptedPrivateKey!, [newKey])).not.toThrow();
    } finally {
      await restored.close();
    }
  });

  it("a backup refuses a snapshot that holds a secret under another master key (a rotation still sweeping)", async () => {
    const [row] = await handle.db
      .select({ id: schema.certificates.id, envelope: schema.certificates.encryptedPrivateKey })
      .from(schema.certificates)
      .where(isNotNull(schema.certificates.encryptedPrivateKey))
      .limit(1);
    const underOldKey = encryptSecret(decryptSecret(row!.envelope!, [newKey]), oldKey);
    await handle.db.update(schema.certificates).set({ encryptedPrivateKey: underOldKey }).where(eq(schema.certificates.id, row!.id));
    try {
      await expect(createBackup(handle.db, admin, newKey.id)).rejects.toThrow(
        `certificates holds a secret under master key ${oldKey.id}, not ${newKey.id}`,
      );
    } finally {
      await handle.db.update(schema.certificates).set({ encryptedPrivateKey: row!.envelope }).where(eq(schema.certificates.id, row!.id));
    }
    expect((await createBackup(handle.db, admin, newKey.id)).masterKeyId).toBe(newKey.id);
  });
});
