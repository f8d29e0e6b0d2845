import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificate, parseCrl } from "@/lib/pki";
import { decryptSecret, envelopeKeyId } from "@/lib/secrets/envelope";
import { parseMasterKey } from "@/lib/secrets/master-key";
import type { BackupFile } from "@/lib/services/backup/backup-format";
import { apiClient as client, waitFor, zipEntry, type Api } from "@/tests/support/api-client";
import { startWriters, type Writers } from "@/tests/support/api-writers";
import { appFleet } from "@/tests/support/app-fleet";
import { runCli, runCliAsync } from "@/tests/support/run-cli";

/**
 * Under load, through the real CLI: `master-key rotate` and `backup` against a running `npm start`
 * (embedded PGlite, so the CLI goes through the server's channel in data/server.json) while API
 * clients keep re-issuing nodes and downloading client bundles. No write may fail, every
 * certificate the API handed out before the backup is in it, the restarted server opens every key
 * with the new master key alone, and the backup restores into a fresh instance that serves every
 * node's bundle with a key matching its certificate.
 */
const NODES = 10;
const WRITERS = 4;

let root: string;
const fleet = appFleet();
let writers: Writers | undefined;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-cli-load-"));
});
afterAll(async () => {
  await writers?.stop();
  await fleet.stopAll();
  fs.rmSync(root, { recursive: true, force: true });
});

const envFor = (name: string) => ({ CLUSTER_TLS_DATA_DIR: path.join(root, name) });
const keyOf = (name: string) => parseMasterKey(fs.readFileSync(path.join(root, name, "master.key"), "utf8"), name);
const start = (name: string, env: Record<string, string> = {}) => fleet.start({ ...envFor(name), ...env });
const { stop } = fleet;

/** root.crt and the CRL answer, and every revoked serial is on the CRL. */
async function expectPublishedFiles(api: Api, revoked: string[]) {
  expect(await (await api("/clusters/load/root.crt")).text()).toMatch(/^-----BEGIN CERTIFICATE-----/);
  const crl = parseCrl(new Uint8Array(await (await api("/clusters/load/crl")).arrayBuffer()));
  const listed = new Set(crl.entries.map((e) => e.serialHex));
  expect(revoked.filter((serial) => !listed.has(serial))).toEqual([]);
}

/** Every node's bundle: server.key is the key of server.crt, which root.crt signed and `expected` names. */
async function expectNodeBundles(api: Api, expected: Map<string, string>) {
  const rootCa = new X509Certificate(await (await api("/clusters/load/root.crt")).text());
  for (const [nodeId, serial] of expected) {
    const zip = new Uint8Array(await (await api(`/nodes/${nodeId}/bundle`)).arrayBuffer());
    const certificate = new X509Certificate(zipEntry(zip, "server.crt"));
    const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: "spki", format: "der" });
    expect(spki(createPublicKey(createPrivateKey(zipEntry(zip, "server.key")))).equals(spki(certificate.publicKey)), nodeId).toBe(true);
    expect(certificate.verify(rootCa.publicKey)).toBe(true);
    expect((await parseCertificate(certificate.raw)).serialHex).toBe(serial);
  }
}

const activeServerSerials = async (api: Api) => {
  const { certificates } = (await (await api("/clusters/load/certificates")).json()) as {
    certificates: { serial: string; kind: string; status: string; nodeId: string | null }[];
  };
  return {
    all: new Set(certificates.map((c) => c.serial)),
    active: new Map(certificates.filter((c) => c.kind === "server" && c.status === "active").map((c) => [c.nodeId!, c.serial])),
  };
};

/** Rows sorted by id: a restore re-inserts rows, so their physical (and to_jsonb) order may change. */
const sortedTables = (tables: BackupFile["tables"]) =>
  Object.fromEntries(Object.entries(tables).map(([name, rows]) => [name, rows.map((row) => JSON.stringify(row)).sort()]));

describe("the operations CLI against a running server under write load", () => {
  it("rotates the master key and takes a backup without failing a write or losing a certificate; the backup restores", async () => {
    const started = Date.now();
    const source = await start("source");
    const token = runCli(["token", "create", "--role", "admin", "--days", "1", "--name", "load"], { env: envFor("source") });
    expect(token.status, token.stderr).toBe(0);
    let api = client(source, token.stdout);
    await api("/clusters", { method: "POST", body: { name: "load" } });
    const nodeIds: string[] = [];
    for (let i = 0; i < NODES; i++) {
      nodeIds.push(
        (
          await (
            await api("/clusters/load/nodes", {
              method: "POST",
              body: { hostname: `db${i}.load.internal`, role: i === 0 ? "primary" : "replica" },
            })
          ).json()
        ).id,
      );
    }
    const oldKey = keyOf("source");

    const load = (writers = startWriters(api, { cluster: "load", nodeIds, writers: WRITERS }));
    await waitFor(() => load.issued.length >= 10 || load.failures.length > 0, "the writers to get going");
    const writesBefore = load.issued.length;
    const rotate = await runCliAsync(["master-key", "rotate"], { env: envFor("source"), timeoutMs: 60_000 });
    expect(rotate.status, rotate.stderr).toBe(0);
    const writesDuringRotation = load.issued.length - writesBefore;
    const newKey = keyOf("source");
    expect(newKey.id).not.toBe(oldKey.id);
    expect(rotate.stderr).toContain(`under master key ${newKey.id}`);
    expect(fs.existsSync(path.join(root, "source", "master.key.next"))).toBe(false);

    const backupLaunched = Date.now();
    const file = path.join(root, "backup.json");
    const backup = await runCliAsync(["backup", "--out", file], { env: envFor("source"), timeoutMs: 60_000 });
    expect(backup.status, backup.stderr).toBe(0);
    const writesDuringOperations = load.issued.length - writesBefore;
    await new Promise((resolve) => setTimeout(resolve, 300)); // and writes carry on after it
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(writesDuringRotation).toBeGreaterThan(0);

    // The backup: everything acknowledged before it started, every secret under the new key alone.
    const snapshot = JSON.parse(fs.readFileSync(file, "utf8")) as BackupFile;
    expect(snapshot.masterKeyId).toBe(newKey.id);
    const inBackup = new Set(snapshot.tables.certificates!.map((row) => row.serial_hex as string));
    expect(load.issued.filter((w) => w.at < backupLaunched && !inBackup.has(w.serial))).toEqual([]);
    const envelopes = [...snapshot.tables.certificate_authorities!, ...snapshot.tables.certificates!].flatMap((row) =>
      typeof row.encrypted_private_key === "string" ? [row.encrypted_private_key] : [],
    );
    expect(envelopes.length).toBeGreaterThan(NODES);
    expect(envelopes.filter((e) => envelopeKeyId(e) !== newKey.id)).toEqual([]);
    for (const envelope of envelopes) expect(decryptSecret(envelope, [newKey]).toString("utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);

    // The live server holds every certificate it acknowledged, before and after a restart with the new key only.
    const live = await activeServerSerials(api);
    expect(load.issued.filter((w) => !live.all.has(w.serial))).toEqual([]);
    await expectPublishedFiles(api, load.revoked);
    expect(await stop(source), source.output()).toBe(0);
    const restarted = await start("source");
    api = client(restarted, token.stdout);
    expect((await activeServerSerials(api)).active).toEqual(live.active);
    await expectPublishedFiles(api, load.revoked);
    await expectNodeBundles(api, live.active);
    expect(await stop(restarted), restarted.output()).toBe(0);

    // Restore into a fresh data directory that has the (new) master key, then serve it.
    fs.mkdirSync(path.join(root, "restored"));
    fs.copyFileSync(path.join(root, "source", "master.key"), path.join(root, "restored", "master.key"));
    const rows = Object.values(snapshot.tables).reduce((n, table) => n + table.length, 0);
    const restore = await runCliAsync(["restore", "--in", file], { env: envFor("restored"), timeoutMs: 60_000 });
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stderr).toContain(`restored ${rows} rows into ${Object.keys(snapshot.tables).length} tables`);
    const restored = await start("restored", { CLUSTER_TLS_JOBS: "off" });
    const again = path.join(root, "backup-of-restored.json");
    const second = await runCliAsync(["backup", "--out", again], { env: envFor("restored"), timeoutMs: 60_000 });
    expect(second.status, second.stderr).toBe(0);
    expect(sortedTables((JSON.parse(fs.readFileSync(again, "utf8")) as BackupFile).tables)).toEqual(sortedTables(snapshot.tables));
    api = client(restored, token.stdout); // the token is one of the restored rows
    const activeInBackup = new Map(
      snapshot.tables
        .certificates!.filter((row) => row.kind === "server" && row.status === "active")
        .map((row) => [row.node_id as string, row.serial_hex as string]),
    );
    expect(activeInBackup.size).toBe(NODES);
    await expectNodeBundles(api, activeInBackup);
    expect(await stop(restored), restored.output()).toBe(0);

    console.log(
      `[cli-under-load] ${load.issued.length} writes (${writesDuringRotation} during the rotation, ${writesDuringOperations} during rotation + backup), ` +
        `${load.revoked.length} revocations, ${rows} rows backed up (${inBackup.size} certificates), ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 180_000);
});
