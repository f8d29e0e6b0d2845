// A backup made before a migration added columns must still restore: the rows it holds lack those
// columns, and each gets the column's default (what the migration gave existing rows).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { backupChecksum, createBackup } from "@/lib/services/backup/create-backup";
import { restoreBackup } from "@/lib/services/backup/restore-backup";
import { createCluster } from "@/lib/services/clusters/create-cluster";

const admin = { type: "cli", label: "test" } as const;
const key = parseMasterKey(Buffer.alloc(32, 9).toString("base64"), "test");
let dir: string;
let source: DatabaseHandle;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-backup-older-"));
  source = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "source") });
  await createCluster(source.db, admin, key, { name: "orders-prod" });
});
afterAll(async () => {
  await source?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("restoring a backup from an older schema", () => {
  it("gives the columns it lacks their defaults instead of refusing on NOT NULL", async () => {
    const backup = await createBackup(source.db, admin, key.id);
    // What a backup made before the name-policy migration holds for a cluster.
    for (const row of backup.tables.clusters ?? []) {
      delete row.allow_wildcard_names;
      delete row.permitted_names;
    }
    backup.checksum = backupChecksum(backup.tables);

    const target = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "target") });
    try {
      await restoreBackup(target.db, admin, JSON.stringify(backup), key.id);
      const [cluster] = await target.db.select().from(schema.clusters);
      expect(cluster).toMatchObject({ name: "orders-prod", allowWildcardNames: false, permittedNames: [] });
    } finally {
      await target.close();
    }
  });

  it("refuses, naming it, a column this version does not have", async () => {
    const backup = await createBackup(source.db, admin, key.id);
    backup.tables.clusters![0]!.colour = "blue";
    backup.checksum = backupChecksum(backup.tables);
    const target = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "target-2") });
    try {
      await expect(restoreBackup(target.db, admin, JSON.stringify(backup), key.id)).rejects.toThrow(/clusters\.colour/);
    } finally {
      await target.close();
    }
  });
});
