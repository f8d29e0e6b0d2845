import "server-only";
import { getTableName, sql } from "drizzle-orm";
import { rowsOf, type Database } from "@/lib/db";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { AppError } from "@/lib/errors/app-error";
import { envelopeKeyId } from "@/lib/secrets/envelope";
import { SECRET_COLUMNS } from "@/lib/services/secrets/count-secrets-not-under";
import { BACKUP_FORMAT, BACKUP_TABLES, BACKUP_VERSION, type BackupFile } from "./backup-format";
import { backupChecksum } from "./backup-file";

export { backupChecksum };

/**
 * A consistent snapshot of every table (one REPEATABLE READ transaction) as JSON. Raw rows via
 * to_jsonb keep every column exactly as stored: bytea as hex, bigints and timestamps as text.
 */
export async function createBackup(db: Database, actor: Actor, masterKeyId: string): Promise<BackupFile> {
  assertAllowed(actor, "users:manage"); // admin-only: a backup holds every (encrypted) key
  return db.transaction(
    async (tx) => {
      const tables: BackupFile["tables"] = {};
      for (const table of BACKUP_TABLES) {
        const name = getTableName(table);
        const result = await tx.execute(sql`SELECT coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb) AS rows FROM ${table} t`);
        tables[name] = rowsOf<{ rows: Record<string, unknown>[] }>(result)[0]!.rows;
      }
      assertOneMasterKey(tables, masterKeyId);
      const migrations = await tx.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
      return {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        masterKeyId,
        migrations: rowsOf<{ n: number }>(migrations)[0]!.n,
        checksum: backupChecksum(tables),
        tables,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * A backup names one master key, and restore needs every secret in it under that key: a snapshot
 * taken while a master-key rotation is still sweeping would hold some under the old one. The
 * columns are the rotation's own list (SECRET_COLUMNS), so both always mean the same secrets.
 */
function assertOneMasterKey(tables: BackupFile["tables"], masterKeyId: string): void {
  for (const { table, envelope } of SECRET_COLUMNS) {
    const name = getTableName(table);
    for (const row of tables[name] ?? []) {
      const value = row[envelope.name];
      if (typeof value === "string" && envelopeKeyId(value) !== masterKeyId) {
        throw new AppError(
          "CONFLICT",
          `${name} holds a secret under master key ${envelopeKeyId(value)}, not ${masterKeyId}: a master-key rotation is finishing; take the backup again in a moment`,
        );
      }
    }
  }
}
