import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, rowsOf, schema, type DatabaseHandle } from "@/lib/db";
import { decryptSecret } from "@/lib/secrets/envelope";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createPublishedFileCache, getPublishedFile } from "@/lib/services/clusters/get-published-file";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";

/**
 * Upgrades never lose a PKI: databases written by an earlier cluster-tls (before migrations
 * 0009–0012; made by scripts/make-upgrade-fixture.ts, which records what that version wrote) are
 * opened by this version, which migrates them. Every cluster, node, certificate, CA, CRL and audit
 * row is still there unchanged, every stored private key decrypts under the fixture's master key
 * and belongs to its certificate, and the served CRL is byte-for-byte the one served before.
 */
const fixtures = path.resolve(import.meta.dirname, "..", "fixtures", "upgrade");
type Expected = {
  rows: Record<"clusters" | "nodes" | "certificates" | "certificate_authorities" | "audit_events", Record<string, string>> & {
    keys: string[];
  };
  crls: Record<string, string>;
  servedCrlEtags: Record<string, string>;
};
const fixture = JSON.parse(fs.readFileSync(path.join(fixtures, "expected.json"), "utf8")) as {
  masterKey: string;
  pglite: Expected;
  postgres: Expected;
};
const key = parseMasterKey(fixture.masterKey, "test");
const actor = { type: "cli", label: "upgrade-test" } as const;
const sha256 = (value: string | Uint8Array) => createHash("sha256").update(value).digest("hex");

let pg: PostgresServer;
const dirs: string[] = [];
beforeAll(async () => {
  pg = await startPostgres({ databases: ["upgrade"] });
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Restores a fixture the way an operator's old installation would be found: files on disk, a database. */
function restore(kind: "pglite" | "postgres"): { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string } {
  if (kind === "pglite") {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-upgrade-"));
    dirs.push(dataDir);
    execFileSync("tar", ["-xzf", path.join(fixtures, "pglite-datadir.tar.gz"), "-C", dataDir]);
    return { kind, dataDir };
  }
  execFileSync(
    "psql",
    [
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-h",
      pg.socketDir,
      "-p",
      String(pg.port),
      "-U",
      "postgres",
      "-d",
      "upgrade",
      "-f",
      path.join(fixtures, "postgres.sql"),
    ],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  return { kind, url: pg.url.replace(/\/postgres$/, "/upgrade") };
}

describe.each(["pglite", "postgres"] as const)("an earlier version's %s database, opened and migrated by this one", (kind) => {
  const expected = fixture[kind];
  let handle: DatabaseHandle;
  beforeAll(async () => {
    const config = restore(kind);
    handle = await openDatabase(config);
  }, 120_000);
  afterAll(() => handle?.close());

  const query = async <T>(text: string) => rowsOf<T>(await handle.db.execute(sql.raw(text)));

  it("was migrated from before 0009 to the newest migration", async () => {
    const journal = JSON.parse(
      fs.readFileSync(path.resolve(import.meta.dirname, "..", "..", "drizzle", "meta", "_journal.json"), "utf8"),
    ) as { entries: unknown[] };
    const n = (await query<{ n: number }>("SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations"))[0]?.n;
    expect(n).toBe(journal.entries.length);
    // The fixture's commit had 0000–0008: 0009 onwards ran here, on its rows.
    expect(n).toBeGreaterThan(9);
  });

  it("keeps every cluster, node, certificate, CA and audit row as it was", async () => {
    const byId = async (text: string) => Object.fromEntries((await query<{ id: string; v: string }>(text)).map((r) => [r.id, r.v]));
    expect(await byId("SELECT id, name AS v FROM clusters")).toEqual(expected.rows.clusters);
    expect(await byId("SELECT id, hostname AS v FROM nodes")).toEqual(expected.rows.nodes);
    const certificates = await query<{ id: string; status: string; certificate_pem: string }>(
      "SELECT id, status, certificate_pem FROM certificates",
    );
    expect(Object.fromEntries(certificates.map((r) => [r.id, `${r.status} ${sha256(r.certificate_pem)}`]))).toEqual(
      expected.rows.certificates,
    );
    expect(await byId("SELECT id, certificate_id AS v FROM certificate_authorities")).toEqual(expected.rows.certificate_authorities);
    expect(await byId("SELECT id::text AS id, action || ' ' || coalesce(object_id, 'null') AS v FROM audit_events")).toEqual(
      expected.rows.audit_events,
    );
  });

  it("keeps every CRL byte for byte", async () => {
    const crls = await handle.db.select().from(schema.crls);
    expect(Object.fromEntries(crls.map((c) => [c.id, sha256(Buffer.from(c.der))]))).toEqual(expected.crls);
  });

  it("opens every stored private key with the master key, and each belongs to its certificate", async () => {
    const spki = (k: ReturnType<typeof createPublicKey>) => k.export({ type: "spki", format: "der" }).toString("hex");
    const pairs = [
      ...(await handle.db
        .select({ id: schema.certificates.id, envelope: schema.certificates.encryptedPrivateKey, pem: schema.certificates.certificatePem })
        .from(schema.certificates)),
      ...(await handle.db
        .select({
          id: schema.certificates.id,
          envelope: schema.certificateAuthorities.encryptedPrivateKey,
          pem: schema.certificates.certificatePem,
        })
        .from(schema.certificateAuthorities)
        .innerJoin(schema.certificates, eq(schema.certificates.id, schema.certificateAuthorities.certificateId))),
    ].filter((p): p is { id: string; envelope: string; pem: string } => p.envelope !== null);
    expect(pairs.map((p) => p.id).sort()).toEqual([...expected.rows.keys].sort());
    for (const { envelope, pem } of pairs) {
      const privateKey = createPrivateKey(decryptSecret(envelope, [key]).toString("utf8"));
      expect(spki(createPublicKey(privateKey))).toBe(spki(new X509Certificate(pem).publicKey));
    }
  });

  it("serves the same CRL (same bytes, same ETag) as before the upgrade", async () => {
    const cache = createPublishedFileCache();
    for (const [name, etag] of Object.entries(expected.servedCrlEtags)) {
      expect((await getPublishedFile(handle.db, actor, name, "crl", cache)).etag, name).toBe(etag);
    }
  });
});
