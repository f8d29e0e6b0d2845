import "server-only";
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { rowsOf, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { BACKUP_TABLES } from "./backup-format";
import { parseBackup } from "./backup-file";

/**
 * Restores a backup into an empty database in one transaction: all of it or nothing. Refuses a
 * damaged file, another product's file, a newer schema, or keys under a different master key.
 */
export async function restoreBackup(db: Database, actor: Actor, text: string, masterKeyId: string): Promise<Record<string, number>> {
  assertAllowed(actor, "users:manage");
  const backup = parseBackup(text);
  if (backup.masterKeyId !== masterKeyId) {
    throw new AppError(
      "UNPROCESSABLE",
      `the backup's private keys are encrypted under master key ${backup.masterKeyId}, but this instance uses ${masterKeyId}; start with that key (CLUSTER_TLS_MASTER_KEY) to restore`,
    );
  }
  return db.transaction(async (tx) => {
    const applied = await tx.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
    const migrations = rowsOf<{ n: number }>(applied)[0]!.n;
    if (backup.migrations > migrations) {
      throw new AppError(
        "UNPROCESSABLE",
        `the backup comes from a newer cluster-tls (schema ${backup.migrations}, this one ${migrations}); upgrade first`,
      );
    }
    const counts: Record<string, number> = {};
    // Only BACKUP_TABLES: an older file's sessions and verification values stay in the file.
    for (const table of BACKUP_TABLES) {
      const name = getTableName(table);
      const existing = await tx.execute(sql`SELECT count(*)::int AS n FROM ${table}`);
      if (rowsOf<{ n: number }>(existing)[0]!.n > 0) {
        throw new AppError(
          "CONFLICT",
          `restore needs an empty database, but table ${name} has rows; restore into a fresh data directory or database`,
        );
      }
      const rows = backup.tables[name] ?? [];
      // certificates.issuer_ca_id and certificate_authorities.certificate_id point at each other:
      // certificates go in without their issuer, which is filled in once the CAs exist.
      const insertRows = name === "certificates" ? rows.map((row) => ({ ...row, issuer_ca_id: null })) : rows;
      // jsonb_populate_recordset maps JSON back onto the table's own column types. Only the columns
      // the file holds are inserted: a backup made before a migration added a column lacks it, and
      // the column's default is what that migration gave the rows it found.
      if (rows.length > 0) {
        const columns = sql.join(
          columnsOf(table, name, rows).map((column) => sql.identifier(column)),
          sql`, `,
        );
        await tx.execute(
          sql`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${table}, ${JSON.stringify(insertRows)}::jsonb)`,
        );
      }
      counts[name] = rows.length;
    }
    const issuers = (backup.tables.certificates ?? []).filter((row) => row.issuer_ca_id !== null);
    if (issuers.length > 0) {
      await tx.execute(sql`
        UPDATE certificates c SET issuer_ca_id = src.issuer_ca_id
        FROM jsonb_to_recordset(${JSON.stringify(issuers.map((r) => ({ id: r.id, issuer_ca_id: r.issuer_ca_id })))}::jsonb)
          AS src(id uuid, issuer_ca_id uuid)
        WHERE c.id = src.id`);
    }
    // Sequences (audit_events.id) continue after the restored rows.
    await tx.execute(sql`SELECT setval(pg_get_serial_sequence('audit_events', 'id'), coalesce(max(id), 0) + 1, false) FROM audit_events`);
    return counts;
  });
}

/** The columns the backup's rows hold, each one this version's table has (else the file is refused, naming it). */
function columnsOf(table: PgTable, name: string, rows: Record<string, unknown>[]): string[] {
  const known = new Set(Object.values(getTableColumns(table)).map((column) => column.name));
  const held = new Set(rows.flatMap((row) => Object.keys(row)));
  for (const column of held) {
    if (!known.has(column))
      throw new AppError(
        "UNPROCESSABLE",
        `the backup has a column this cluster-tls does not know (${name}.${column}); is it from a newer version?`,
      );
  }
  return [...held];
}
