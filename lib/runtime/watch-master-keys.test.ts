import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCliCommand } from "@/lib/cli/run-cli-command";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import { keyFilesOf, prepareNextKeyFile } from "@/lib/secrets/key-files";
import { loadKeyRing } from "@/lib/secrets/key-ring";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { countSecretsNotUnder } from "@/lib/services/secrets/count-secrets-not-under";
import { KEY_ROTATION_FINISHED, KEY_ROTATION_STARTED } from "@/lib/services/secrets/read-key-rotations";
import type { Runtime } from "./bootstrap";
import { watchMasterKeys } from "./watch-master-keys";

const actor = { type: "cli", label: "test" } as const;
let root: string;
let handle: DatabaseHandle;
let stop = () => {};
let logs: string[];
let errors: string[];
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-watch-keys-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(root, "pglite") });
});
afterEach(() => {
  stop();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A server's key ring on a fresh data dir, watched every 20 ms; log lines are collected. */
function watchedServer(name: string) {
  const dataDir = path.join(root, name);
  logs = [];
  errors = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
  vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
  const keyRing = loadKeyRing({ dataDir, envKeyBase64: null, keyIdInUse: null });
  stop = watchMasterKeys(dataDir, handle.db, keyRing, { intervalMs: 20 });
  return { dataDir, keyRing, files: keyFilesOf(dataDir), held: keyRing.all /* what a request in flight holds */ };
}

const rotationRow = (action: string, keyId: string) =>
  recordAuditEvent(handle.db, actor, { action, objectType: "master_key", objectId: keyId });

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a server following a rotation another process runs", () => {
  it("adopts master.key.next to decrypt, encrypts under it once the rotation started, drops the old key once it finished", async () => {
    const { dataDir, keyRing, files, held } = watchedServer("follows");
    const old = keyRing.current;

    // Half-copied: reported by name, ignored, and read again once it changes.
    fs.writeFileSync(files.next, "not a key\n", { mode: 0o600 });
    await until(() => errors.length > 0, "the malformed file to be reported");
    expect(errors[0]).toMatch(/ignoring master\.key\.next: .*master\.key\.next is not base64/);
    fs.rmSync(files.next);
    const { key: next } = prepareNextKeyFile(dataDir);
    await until(() => held.length === 2, "the prepared key to be adopted");
    expect(keyRing.current.id).toBe(old.id);
    expect(logs.filter((line) => line.includes(`master key ${next.id} from ${files.next} adopted`))).toHaveLength(1);
    expect(logs.join("\n")).not.toContain(next.bytes.toString("base64"));

    await rotationRow(KEY_ROTATION_STARTED, next.id);
    await until(() => keyRing.current.id === next.id, "the switch to the new key");
    expect(held.map((key) => key.id)).toEqual([next.id, old.id]);

    await rotationRow(KEY_ROTATION_FINISHED, next.id);
    await until(() => held.length === 1, "the old key to be dropped");
    expect(held[0]!.id).toBe(next.id);
    expect(logs.filter((line) => line.includes(`rotation to ${next.id} finished`))).toHaveLength(1);
    await until(() => !fs.existsSync(files.next), "master.key.next to become master.key");
    expect(fs.readFileSync(files.current, "utf8").trim()).toBe(next.bytes.toString("base64"));
  });

  it("given the key only after the rotation finished, keeps the old key (and master.key) while secrets are under it", async () => {
    const { dataDir, keyRing, files, held } = watchedServer("late");
    const old = keyRing.current;
    await createCluster(handle.db, actor, old, { name: "written-late" }); // what this server wrote meanwhile
    const next = prepareNextKeyFile(path.join(root, "elsewhere")).key;
    await rotationRow(KEY_ROTATION_STARTED, next.id);
    await rotationRow(KEY_ROTATION_FINISHED, next.id);

    fs.copyFileSync(keyFilesOf(path.join(root, "elsewhere")).next, files.next);
    await until(() => errors.some((line) => line.includes(`rotation to ${next.id} finished, but`)), "the warning");
    expect(keyRing.current.id).toBe(next.id);
    expect(held.map((key) => key.id)).toEqual([next.id, old.id]);
    expect(fs.readFileSync(files.current, "utf8").trim()).toBe(old.bytes.toString("base64"));
    expect(fs.existsSync(files.next)).toBe(true);

    // What the warning says to do: rotate on this instance, to the same key.
    const runtime = {
      config: { dataDir, database: { kind: "pglite", dataDir }, masterKeyBase64: null },
      database: handle,
      keyRing,
    } satisfies Runtime;
    await runCliCommand(runtime, { name: "master-key-rotate" }, actor);
    expect(await countSecretsNotUnder(handle.db, next.id)).toBe(0);
    expect(held.map((key) => key.id)).toEqual([next.id]);
    expect(fs.readFileSync(files.current, "utf8").trim()).toBe(next.bytes.toString("base64"));
  });
});
