import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import { adoptKey, loadKeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { assertInstancesHoldKey } from "./assert-instances-hold-key";
import { listLiveInstances } from "./list-live-instances";
import { liveInstances, LIVE_WINDOW_MS } from "./live-instances";
import { recordInstanceHeartbeat, removeInstance } from "./record-instance-heartbeat";

describe("liveInstances", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const seen = (instance: string, msAgo: number) => ({ instance, lastSeenAt: new Date(now.getTime() - msAgo) });

  it("keeps instances seen within 30 s and drops older ones", () => {
    const rows = [seen("fresh:1", 0), seen("edge:2", LIVE_WINDOW_MS), seen("stale:3", LIVE_WINDOW_MS + 1)];
    expect(liveInstances(rows, now).map((r) => r.instance)).toEqual(["fresh:1", "edge:2"]);
  });

  it("leaves out the instance that asks", () => {
    expect(liveInstances([seen("me:1", 0), seen("other:2", 5_000)], now, { exclude: "me:1" }).map((r) => r.instance)).toEqual(["other:2"]);
  });
});

describe("instance heartbeats and the rotation check (PGlite)", () => {
  let root: string;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-instances-"));
    handle = await openDatabase({ kind: "pglite", dataDir: path.join(root, "pglite") });
  });
  afterAll(async () => {
    await handle?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const ringIn = (name: string) => loadKeyRing({ dataDir: path.join(root, name), envKeyBase64: null, keyIdInUse: null });
  const next = parseMasterKey(Buffer.alloc(32, 7).toString("base64"), "next");
  const startedAt = new Date();

  it("refuses while another live instance lacks the next key, and passes once its heartbeat lists it", async () => {
    const other = ringIn("other");
    await recordInstanceHeartbeat(handle.db, { instance: "host-b:2", keyRing: other, startedAt });
    await recordInstanceHeartbeat(handle.db, { instance: "host-a:1", keyRing: ringIn("self"), startedAt });

    await expect(assertInstancesHoldKey(handle.db, { keyId: next.id, self: "host-a:1" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(
        new RegExp(`do not hold master key ${next.id} yet: host-b:2 \\(holds ${other.current.id}\\).*master\\.key\\.next`),
      ),
    });
    // A key made only now (no --prepare) cannot be held by anyone else.
    await expect(assertInstancesHoldKey(handle.db, { keyId: null, self: "host-a:1" })).rejects.toThrow(
      /host-b:2.*master-key rotate --prepare/,
    );

    adoptKey(other, next); // what the key watcher does; the next beat publishes it
    await recordInstanceHeartbeat(handle.db, { instance: "host-b:2", keyRing: other, startedAt });
    await assertInstancesHoldKey(handle.db, { keyId: next.id, self: "host-a:1" });
    const { instances } = await listLiveInstances(handle.db);
    expect(instances.find((r) => r.instance === "host-b:2")?.keyIds).toEqual([other.current.id, next.id]);
  });

  it("ignores the instance running the rotation, stale rows and removed ones", async () => {
    await handle.db.execute(sql`DELETE FROM app_instances`);
    for (const instance of ["me:1", "stale:2", "gone:3"])
      await recordInstanceHeartbeat(handle.db, { instance, keyRing: ringIn(instance), startedAt });
    await handle.db.execute(sql`UPDATE app_instances SET last_seen_at = now() - interval '31 seconds' WHERE instance = 'stale:2'`);
    await removeInstance(handle.db, "gone:3");

    await assertInstancesHoldKey(handle.db, { keyId: next.id, self: "me:1" });
    await assertInstancesHoldKey(handle.db, { keyId: null, self: "me:1" });
    const refused = assertInstancesHoldKey(handle.db, { keyId: next.id, self: "cli:4" });
    await expect(refused).rejects.toThrow(/: me:1 \(holds [^)]+\)\. Copy/);
  });
});
