import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema } from "@/lib/db";
import { decryptSecret, encryptSecret } from "@/lib/secrets/envelope";
import { BACKUP_TABLES } from "@/lib/services/backup/backup-format";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { certificateRow, insertClusterWithCa } from "@/tests/support/db-fixtures";
import { launchApp, waitForHealth } from "@/tests/support/app-process";
import { dataDirFromTemplate, makePgliteTemplate } from "@/tests/support/pglite-template";
import { runCli } from "@/tests/support/run-cli";

let root: string;
let template: string;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-cli-"));
  template = await makePgliteTemplate(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const dirFor = (name: string) => path.join(root, name);
const envFor = (name: string) => ({ CLUSTER_TLS_DATA_DIR: dirFor(name) });
/** A data dir whose embedded database exists but is empty, as PGlite's first open leaves it. */
const emptyDatabaseEnv = (name: string) => {
  if (!fs.existsSync(path.join(dirFor(name), "pglite"))) dataDirFromTemplate(template, dirFor(name));
  return envFor(name);
};
const readKey = (name: string) => parseMasterKey(fs.readFileSync(path.join(dirFor(name), "master.key"), "utf8"), "test");
const SECRET_PEM = "-----BEGIN PRIVATE KEY-----\nnot-a-real-key-but-secret\n-----END PRIVATE KEY-----\n";

/** Seeds a data dir through the CLI (first admin) and directly (a cluster with encrypted keys). */
async function seed(name: string) {
  const admin = runCli(["admin", "create", "--email", "root@example.com", "--password-stdin"], {
    env: emptyDatabaseEnv(name),
    input: "correct horse battery\n",
  });
  expect(admin.status, admin.stderr).toBe(0);
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dirFor(name), "pglite") });
  const key = readKey(name);
  const { cluster, ca } = await insertClusterWithCa(handle.db, "orders-prod");
  await handle.db.update(schema.certificateAuthorities).set({ encryptedPrivateKey: encryptSecret(SECRET_PEM, key) });
  await handle.db
    .insert(schema.certificates)
    .values(certificateRow(cluster.id, { issuerCaId: ca.id, encryptedPrivateKey: encryptSecret(SECRET_PEM, key) }));
  await handle.close();
}

async function readEnvelopes(name: string): Promise<string[]> {
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dirFor(name), "pglite") });
  const cas = await handle.db.select({ e: schema.certificateAuthorities.encryptedPrivateKey }).from(schema.certificateAuthorities);
  const certs = await handle.db
    .select({ e: schema.certificates.encryptedPrivateKey })
    .from(schema.certificates)
    .where(isNotNull(schema.certificates.encryptedPrivateKey));
  await handle.close();
  return [...cas, ...certs].map((r) => r.e!);
}

describe("operations CLI", () => {
  it("runs as a bundle that `npm run cli` rebuilds when it is older than its sources", () => {
    const repo = path.resolve(import.meta.dirname, "..", "..");
    const bundle = path.join(repo, "dist", "cli.mjs");
    runCli(["--help"], { env: {} }); // builds it if missing
    const longAgo = new Date("2001-01-01T00:00:00Z");
    fs.utimesSync(bundle, longAgo, longAgo); // as if scripts/cli.ts changed since the last build
    const help = spawnSync(process.execPath, [path.join(repo, "scripts", "cli.mjs"), "--help"], { cwd: repo, encoding: "utf8" });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/Usage: cluster-tls .*\n[\s\S]*master-key/);
    expect(fs.statSync(bundle).mtimeMs).toBeGreaterThan(longAgo.getTime() + 1000);
    expect(fs.readFileSync(bundle, "utf8")).not.toMatch(/\bimport "server-only"|\.ts"/); // no TypeScript left to compile at run time
  });

  it("refuses admin create without --password-stdin and explains why", () => {
    const result = runCli(["admin", "create", "--email", "a@example.com"], { env: envFor("usage") });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--password-stdin .*arguments show up in `ps`/);
  });

  it("backs up, restores into an empty data dir, and the restored data is identical", async () => {
    await seed("source");
    const file = path.join(root, "backup.json");
    const backup = runCli(["backup", "--out", file], { env: envFor("source") });
    expect(backup.status, backup.stderr).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).not.toContain("not-a-real-key-but-secret"); // keys stay encrypted

    // A fresh instance with the same master key (the key is backed up separately).
    fs.mkdirSync(dirFor("target"), { recursive: true });
    fs.copyFileSync(path.join(dirFor("source"), "master.key"), path.join(dirFor("target"), "master.key"));
    const restore = runCli(["restore", "--in", file], { env: emptyDatabaseEnv("target") });
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stderr).toMatch(new RegExp(`restored \\d+ rows into ${BACKUP_TABLES.length} tables`));

    const again = path.join(root, "backup-again.json");
    expect(runCli(["backup", "--out", again], { env: envFor("target") }).status).toBe(0);
    const tables = (f: string) => JSON.parse(fs.readFileSync(f, "utf8")).tables;
    expect(tables(again)).toEqual(tables(file));
    for (const envelope of await readEnvelopes("target")) expect(decryptSecret(envelope, [readKey("target")]).toString()).toBe(SECRET_PEM);

    const second = runCli(["restore", "--in", file], { env: envFor("target") });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/restore needs an empty database, but table users has rows/);
  });

  // The file is checked before any database is opened: the data dir is not even created (it used
  // to be created and migrated first, seconds and ~1 GB before the refusal).
  it.each([
    ["garbage", () => "this is not json", /not a cluster-tls backup \(not JSON/],
    ["another product's file", () => JSON.stringify({ format: "something-else" }), /no cluster-tls-backup format marker/],
    [
      "a truncated backup",
      () => fs.readFileSync(path.join(root, "backup.json"), "utf8").slice(0, -200),
      /not a cluster-tls backup \(not JSON; truncated\?\)/,
    ],
  ])("refuses %s before opening any database", (_name, contents, message) => {
    const file = path.join(root, `bad-${Math.random()}.json`);
    fs.writeFileSync(file, contents());
    const env = envFor(`empty-${Math.random()}`);
    const started = performance.now();
    const result = runCli(["restore", "--in", file], { env });
    const elapsed = performance.now() - started;
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(fs.existsSync(env.CLUSTER_TLS_DATA_DIR), "the data dir was created").toBe(false);
    // Secondary, generous for a loaded machine: Node start-up dominates (the bundled CLI; was 7 s+ when the database was made first).
    expect(elapsed).toBeLessThan(8_000);
  });

  it("leaves an existing data dir untouched when refusing a file that is not a backup", () => {
    const file = path.join(root, `bad-${Math.random()}.json`);
    fs.writeFileSync(file, "PK\u0003\u0004 not a backup");
    const env = envFor("source");
    const snapshot = () =>
      fs
        .readdirSync(env.CLUSTER_TLS_DATA_DIR, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => {
          const full = path.join(entry.parentPath, entry.name);
          const stat = fs.statSync(full);
          return `${full} ${stat.size} ${stat.mtimeMs}`;
        })
        .sort();
    const before = snapshot();
    const result = runCli(["restore", "--in", file], { env });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not a cluster-tls backup \(not JSON/);
    expect(snapshot()).toEqual(before);
  });

  it("refuses a damaged backup and one made under another master key", () => {
    const file = path.join(root, "backup.json");
    const damaged = path.join(root, "damaged.json");
    const backup = JSON.parse(fs.readFileSync(file, "utf8"));
    backup.tables.users[0].email = "mallory@example.com";
    fs.writeFileSync(damaged, JSON.stringify(backup));
    const env = emptyDatabaseEnv("other-instance");
    fs.mkdirSync(env.CLUSTER_TLS_DATA_DIR, { recursive: true });
    fs.copyFileSync(path.join(dirFor("source"), "master.key"), path.join(env.CLUSTER_TLS_DATA_DIR, "master.key"));
    expect(runCli(["restore", "--in", damaged], { env }).stderr).toMatch(/the backup is damaged: its checksum does not match/);

    const foreign = runCli(["restore", "--in", file], { env: emptyDatabaseEnv("foreign-key") });
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toMatch(/encrypted under master key [0-9a-f]{16}, but this instance uses [0-9a-f]{16}/);
    expect(runCli(["restore", "--in", path.join(root, "missing.json")], { env }).stderr).toMatch(/cannot read .*missing\.json: ENOENT/);
  });

  it("rotates the master key: every stored key decrypts under the new key, none under the old", async () => {
    const oldKey = readKey("source");
    const rotate = runCli(["master-key", "rotate"], { env: envFor("source") });
    expect(rotate.status, rotate.stderr).toBe(0);
    expect(rotate.stderr).toMatch(/re-encrypted 2 private keys under master key [0-9a-f]{16}/);
    const newKey = readKey("source");
    expect(newKey.id).not.toBe(oldKey.id);
    const envelopes = await readEnvelopes("source");
    expect(envelopes).toHaveLength(2);
    for (const envelope of envelopes) {
      expect(decryptSecret(envelope, [newKey]).toString()).toBe(SECRET_PEM);
      expect(() => decryptSecret(envelope, [oldKey])).toThrow(/not configured/);
    }
  });

  it("goes through the running server instead of opening its embedded database", async () => {
    const app = await launchApp(envFor("source"));
    try {
      expect(await waitForHealth(app), app.output()).toBe(200);
      const created = runCli(["token", "create", "--role", "auditor", "--name", "ci", "--days", "7"], { env: envFor("source") });
      expect(created.status, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/^ctls_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      const response = await fetch(`${app.url}/api/v1/clusters`, { headers: { authorization: `Bearer ${created.stdout}` } });
      expect(response.status).toBe(200);
      expect((await response.json()).clusters.map((c: { name: string }) => c.name)).toEqual(["orders-prod"]);
      expect((await fetch(`${app.url}/api/health`)).status).toBe(200); // the owner's database is intact
    } finally {
      expect(await app.stop(), app.output()).toBe(0);
    }
  }, 240_000);
});
