import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { checkVerifyFull } from "@/lib/services/nodes/check-verify-full";

let handle: DatabaseHandle;
let dir: string;
let nodeId: string;
const key = parseMasterKey(Buffer.alloc(32, 14).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-verify-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  await createCluster(handle.db, admin, key, { name: "orders-prod", sharedDnsNames: ["pg-rw.orders.internal"] });
  nodeId = (
    await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "primary", ipAddresses: ["10.0.0.5"] })
  ).node.id;
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const failed = (result: Awaited<ReturnType<typeof checkVerifyFull>>) => result.checks.filter((c) => !c.ok).map((c) => c.check);

describe("Will verify-full pass?", () => {
  it("passes for every name a client may dial: host, shared name, IP", async () => {
    for (const host of ["db1.orders.internal", "pg-rw.orders.internal", "10.0.0.5"]) {
      const result = await checkVerifyFull(handle.db, admin, nodeId, host);
      expect(result.pass, host).toBe(true);
      expect(result.checks.map((c) => c.check)).toEqual(["name", "chain", "validity", "revocation"]);
    }
  });

  it("fails a name the certificate does not hold, and says which names it has", async () => {
    const result = await checkVerifyFull(handle.db, admin, nodeId, "db9.orders.internal");
    expect(result.pass).toBe(false);
    expect(failed(result)).toEqual(["name"]);
    expect(result.checks[0]!.detail).toBe(
      "db9.orders.internal is not among the certificate's names (db1.orders.internal, pg-rw.orders.internal)",
    );
  });

  it("fails once the certificate has expired (checked on a clock 400 days on)", async () => {
    const result = await checkVerifyFull(handle.db, admin, nodeId, "db1.orders.internal", new Date(Date.now() + 400 * DAY_MS));
    expect(failed(result)).toEqual(expect.arrayContaining(["validity", "chain"]));
    expect(result.checks.find((c) => c.check === "validity")!.detail).toMatch(/^expired /);
  });
});
