// The backup file itself: its marker, version and checksum, read without any database, so the CLI
// can refuse a file that is no backup before it opens (creates, migrates) one.
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors/app-error";

export const BACKUP_FORMAT = "cluster-tls-backup";
export const BACKUP_VERSION = 1;

export type BackupFile = {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  /** Private keys inside stay encrypted under this master key; restore needs the same key. */
  masterKeyId: string;
  /** drizzle migrations applied when the backup was taken. */
  migrations: number;
  /** SHA-256 over JSON.stringify(tables): detects truncation and edits. */
  checksum: string;
  tables: Record<string, Record<string, unknown>[]>;
};

export function backupChecksum(tables: BackupFile["tables"]): string {
  return createHash("sha256").update(JSON.stringify(tables)).digest("hex");
}

/**
 * Reads and checks a backup file's text (JSON, format marker, version, checksum) without any
 * database: the CLI calls it before opening one, so a file that is no backup is refused at once.
 */
export function parseBackup(text: string): BackupFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("UNPROCESSABLE", "the file is not a cluster-tls backup (not JSON; truncated?)");
  }
  const backup = parsed as Partial<BackupFile>;
  if (backup?.format !== BACKUP_FORMAT)
    throw new AppError("UNPROCESSABLE", "the file is not a cluster-tls backup (no cluster-tls-backup format marker)");
  if (backup.version !== BACKUP_VERSION)
    throw new AppError("UNPROCESSABLE", `unsupported backup version ${String(backup.version)} (this build reads ${BACKUP_VERSION})`);
  if (!backup.tables || typeof backup.masterKeyId !== "string" || typeof backup.migrations !== "number") {
    throw new AppError("UNPROCESSABLE", "the backup is incomplete (tables, masterKeyId or migrations missing)");
  }
  if (backupChecksum(backup.tables) !== backup.checksum) {
    throw new AppError("UNPROCESSABLE", "the backup is damaged: its checksum does not match its contents");
  }
  return backup as BackupFile;
}
