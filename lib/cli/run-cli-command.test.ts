import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import type { Runtime } from "@/lib/runtime/bootstrap";
import { decryptSecret, envelopeKeyId } from "@/lib/secrets/envelope";
import { loadKeyRing } from "@/lib/secrets/key-ring";
import type { MasterKey } from "@/lib/secrets/master-key";
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

const caEnvelope = async () => (await handle.db.select({ e: schema.certificateAuthorities.encryptedPrivateKey }).from(schema.certificateAuthorities))[0]!.e;

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
    const runtime = { config: { dataDir, database: { kind: "pglite", dataDir }, masterKeyBase64: null }, database: handle, keyRing } satisfies Runtime;
    // What an issuance holds while its query waits: loadClusterIssuer(db, clusterId, keyRing.all).
    const taken = keyRing.all;

    const rotation = runCliCommand(runtime, { name: "master-key-rotate" }, actor);
    // The sweep moves the CA key at once, then settles for a second before dropping the old key.
    const midway = (async () => {
      const deadline = Date.now() + 5_000;
      while (envelopeKeyId(await caEnvelope()) === oldKey.id && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      const swept = await caEnvelope();
      return { swept, opens: opens(swept, taken) };
    })();
    const [, { swept, opens: opensMidway }] = await Promise.all([rotation, midway]);
    expect(envelopeKeyId(swept)).toBe(keyRing.current.id);
    expect(opensMidway).toBe("opens");
    expect(taken.map((key) => key.id)).toEqual([keyRing.current.id]);
  });
});
