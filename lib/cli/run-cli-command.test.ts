import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import type { Runtime } from "@/lib/runtime/bootstrap";
import { decryptSecret, envelopeKeyId } from "@/lib/secrets/envelope";
import { keyFilesOf, readNextKeyFile } from "@/lib/secrets/key-files";
import { loadKeyRing, type KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey, type MasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { runCliCommand } from "./run-cli-command";

const actor = { type: "cli", label: "test" } as const;
let dataDir: string;
let handle: DatabaseHandle;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-cli-command-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const caEnvelope = async () =>
  (await handle.db.select({ e: schema.certificateAuthorities.encryptedPrivateKey }).from(schema.certificateAuthorities))[0]!.e;

const opens = (envelope: string, keys: readonly MasterKey[]) => {
  try {
    decryptSecret(envelope, keys);
    return "opens";
  } catch (error) {
    return String(error);
  }
};

describe("master-key rotate in a running server", () => {
  it("a request holding the key list from before the switch opens what the sweep re-encrypted, and loses the old key at the end", async () => {
    const keyRing = loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: null });
    const oldKey = keyRing.current;
    await createCluster(handle.db, actor, oldKey, { name: "orders" });
    const runtime = {
      config: { dataDir, database: { kind: "pglite", dataDir }, masterKeyBase64: null },
      database: handle,
      keyRing,
    } satisfies Runtime;
    // What an issuance holds while its query waits: loadClusterIssuer(db, clusterId, keyRing.all).
    const taken = keyRing.all;

    const rotation = runCliCommand(runtime, { name: "master-key-rotate" }, actor);
    // The sweep moves the CA key at once, then settles for a few seconds before dropping the old key.
    const midway = (async () => {
      const deadline = Date.now() + 5_000;
      while (envelopeKeyId(await caEnvelope()) === oldKey.id && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const swept = await caEnvelope();
      return { swept, opens: opens(swept, taken) };
    })();
    const [, { swept, opens: opensMidway }] = await Promise.all([rotation, midway]);
    expect(envelopeKeyId(swept)).toBe(keyRing.current.id);
    expect(opensMidway).toBe("opens");
    expect(taken.map((key) => key.id)).toEqual([keyRing.current.id]);
  });
});

describe("master-key rotate --prepare, then rotate", () => {
  const runtimeWith = (keyRing: KeyRing, kind: "pglite" | "postgres") =>
    ({
      config: {
        dataDir,
        database: kind === "pglite" ? { kind, dataDir } : { kind, url: "postgres://elsewhere/db" },
        masterKeyBase64: null,
      },
      database: handle,
      keyRing,
    }) satisfies Runtime;

  it("prepare writes master.key.next and re-encrypts nothing; rotate then moves everything to that key", async () => {
    const keyRing = loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: envelopeKeyId(await caEnvelope()) });
    const runtime = runtimeWith(keyRing, "postgres");
    const prepared = await runCliCommand(runtime, { name: "master-key-rotate", prepare: true }, actor);
    const next = readNextKeyFile(dataDir)!;
    expect(prepared.message).toContain(
      `prepared master key ${next.id} in ${keyFilesOf(dataDir).next}; nothing is re-encrypted yet. Copy it as master.key.next`,
    );
    expect(envelopeKeyId(await caEnvelope())).toBe(keyRing.current.id);

    const rotated = await runCliCommand(runtime, { name: "master-key-rotate" }, actor);
    expect(rotated.message).toContain(`under master key ${next.id} (prepared in ${keyFilesOf(dataDir).next})`);
    expect(rotated.message).toContain("Servers that hold it as master.key.next follow within seconds");
    expect(envelopeKeyId(await caEnvelope())).toBe(next.id);
    expect(parseMasterKey(fs.readFileSync(keyFilesOf(dataDir).current, "utf8"), "master.key").id).toBe(next.id);
    expect(readNextKeyFile(dataDir)).toBeNull();
  });

  it("with CLUSTER_TLS_MASTER_KEY and nothing prepared: prints the new key, and says how other servers get it", async () => {
    const current = parseMasterKey(fs.readFileSync(keyFilesOf(dataDir).current, "utf8"), "master.key");
    const keyRing = loadKeyRing({ dataDir, envKeyBase64: current.bytes.toString("base64"), keyIdInUse: current.id });
    const rotated = await runCliCommand(runtimeWith(keyRing, "postgres"), { name: "master-key-rotate" }, actor);
    const next = parseMasterKey(rotated.payload!, "payload");
    expect(envelopeKeyId(await caEnvelope())).toBe(next.id);
    expect(rotated.message).toMatch(/Set CLUSTER_TLS_MASTER_KEY to the new key below before the next restart/);
    expect(rotated.message).toMatch(
      /hold only the old key until given the new one as master\.key\.next in their data directory, or restarted with it/,
    );
    expect(parseMasterKey(fs.readFileSync(keyFilesOf(dataDir).current, "utf8"), "master.key").id).toBe(current.id); // no file written
    expect(readNextKeyFile(dataDir)).toBeNull();
  });
});
