// A backup holds no credential that works by itself: a stolen backup plus the auth secret must not
// sign a session cookie, nor reset a password. API token hashes stay (a token must survive a restore,
// and a hash cannot be presented as the token).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { backupChecksum, createBackup } from "@/lib/services/backup/create-backup";
import { restoreBackup } from "@/lib/services/backup/restore-backup";

const admin = { type: "cli", label: "test" } as const;
const MASTER_KEY_ID = "0123456789abcdef";
const SESSION_TOKEN = "live-session-token-from-the-cookie";
const RESET_TOKEN = "live-password-reset-token";
let dir: string;
let source: DatabaseHandle;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-backup-credentials-"));
  source = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "source") });
  const expiresAt = new Date(Date.now() + 86_400_000);
  await source.db.insert(schema.users).values({ id: "u1", email: "root@example.com", name: "Root", role: "admin" });
  await source.db.insert(schema.sessions).values({ id: "s1", userId: "u1", token: SESSION_TOKEN, expiresAt });
  await source.db.insert(schema.verifications).values({ id: "v1", identifier: "reset-password:u1", value: RESET_TOKEN, expiresAt });
  await source.db.insert(schema.apiTokens).values({ name: "ci", prefix: "abcdefgh", tokenHash: "a".repeat(64), role: "auditor" });
});
afterAll(async () => {
  await source?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("backups and live credentials", () => {
  it("leave out sessions and verification values, keep API token hashes", async () => {
    const backup = await createBackup(source.db, admin, MASTER_KEY_ID);
    const text = JSON.stringify(backup);
    expect(Object.keys(backup.tables)).not.toContain("sessions");
    expect(Object.keys(backup.tables)).not.toContain("verifications");
    expect(text).not.toContain(SESSION_TOKEN);
    expect(text).not.toContain(RESET_TOKEN);
    expect(backup.tables.api_tokens).toMatchObject([{ token_hash: "a".repeat(64) }]);
    expect(backup.tables.users).toHaveLength(1);
  });

  it("restoring an older backup that still holds sessions restores none of them (everyone signs in again)", async () => {
    const backup = await createBackup(source.db, admin, MASTER_KEY_ID);
    const now = new Date().toISOString();
    const expires = new Date(Date.now() + 86_400_000).toISOString();
    // What a backup made before sessions were left out looks like.
    backup.tables.sessions = [
      {
        id: "s1",
        user_id: "u1",
        token: SESSION_TOKEN,
        expires_at: expires,
        ip_address: null,
        user_agent: null,
        created_at: now,
        updated_at: now,
      },
    ];
    backup.tables.verifications = [
      { id: "v1", identifier: "reset-password:u1", value: RESET_TOKEN, expires_at: expires, created_at: now, updated_at: now },
    ];
    backup.checksum = backupChecksum(backup.tables);

    const target = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "target") });
    try {
      const counts = await restoreBackup(target.db, admin, JSON.stringify(backup), MASTER_KEY_ID);
      expect(counts).not.toHaveProperty("sessions");
      expect(await target.db.select().from(schema.sessions)).toEqual([]);
      expect(await target.db.select().from(schema.verifications)).toEqual([]);
      expect(await target.db.select({ email: schema.users.email }).from(schema.users)).toEqual([{ email: "root@example.com" }]);
      expect(await target.db.select({ hash: schema.apiTokens.tokenHash }).from(schema.apiTokens)).toEqual([{ hash: "a".repeat(64) }]);
    } finally {
      await target.close();
    }
  });
});
