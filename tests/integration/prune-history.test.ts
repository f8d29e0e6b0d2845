import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { issueClientBundle } from "@/lib/services/certificates/issue-client-bundle";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { pruneHistory, RETENTION_DAYS } from "@/lib/services/maintenance/prune-history";
import { createWebhook } from "@/lib/services/webhooks/manage-webhooks";

/** The daily clean-up deletes only history nothing needs, with a clock moved forward instead of waiting. */
const key = parseMasterKey(Buffer.alloc(32, 21).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
let dir: string;
let handle: DatabaseHandle;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-prune-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  await createCluster(handle.db, admin, key, { name: "prune" });
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("pruneHistory", () => {
  it("deletes old job runs but keeps each job's latest run and latest success, however old", async () => {
    const { jobRuns } = schema;
    const run = (job: string, days: number, outcome: "succeeded" | "failed") => ({
      job,
      startedAt: daysAgo(days),
      outcome,
      instance: "test",
    });
    await handle.db.insert(jobRuns).values([
      run("refresh-crls", 400, "succeeded"),
      run("refresh-crls", 300, "succeeded"), // its latest success
      run("refresh-crls", 200, "failed"), // its latest run
      run("probe-nodes", 120, "succeeded"),
      run("probe-nodes", 5, "succeeded"), // recent: kept
    ]);
    const summary = await pruneHistory(handle.db);
    expect(summary.jobRuns).toBe(2); // refresh-crls at 400 days, probe-nodes at 120 days
    const left = await handle.db
      .select({ job: jobRuns.job, outcome: jobRuns.outcome })
      .from(jobRuns)
      .orderBy(jobRuns.job, jobRuns.startedAt);
    expect(left).toEqual([
      { job: "probe-nodes", outcome: "succeeded" },
      { job: "refresh-crls", outcome: "succeeded" },
      { job: "refresh-crls", outcome: "failed" },
    ]);
  });

  it("deletes finished webhook deliveries past their retention, never pending ones", async () => {
    const { webhookDeliveries: d } = schema;
    const webhook = await createWebhook(handle.db, admin, key, "prune", {
      url: "https://hooks.example.test/pki",
      events: ["certificate.revoked"],
    });
    const old = daysAgo(RETENTION_DAYS.webhookDeliveries + 1);
    const delivery = (status: "pending" | "delivered" | "failed", createdAt: Date) => ({
      webhookId: webhook.id,
      event: "certificate.revoked" as const,
      payload: {},
      status,
      createdAt,
    });
    await handle.db
      .insert(d)
      .values([delivery("delivered", old), delivery("failed", old), delivery("pending", old), delivery("delivered", daysAgo(1))]);
    expect((await pruneHistory(handle.db)).webhookDeliveries).toBe(2);
    const left = await handle.db.select({ status: d.status }).from(d).where(eq(d.webhookId, webhook.id)).orderBy(d.createdAt);
    expect(left.map((row) => row.status)).toEqual(["pending", "delivered"]);
  });

  it("deletes superseded CRLs past their retention; each CA's latest CRL stays and is still served", async () => {
    const { crls } = schema;
    for (let i = 0; i < 3; i++) {
      const { serialHex } = await issueClientBundle(handle.db, admin, keyRing, "prune", { databaseUser: `app${i}` });
      await revokeCertificate(handle.db, admin, keyRing, serialHex, "keyCompromise");
    }
    const before = await handle.db.select({ id: crls.id, number: crls.crlNumber }).from(crls).orderBy(crls.crlNumber);
    expect(before.length).toBe(4); // the first CRL, then one per revocation
    const served = await getCurrentCrl(handle.db, admin, "prune");

    expect((await pruneHistory(handle.db)).supersededCrls).toBe(0); // none is old enough yet
    const later = new Date(Date.now() + (RETENTION_DAYS.supersededCrls + 1) * DAY_MS);
    expect((await pruneHistory(handle.db, later)).supersededCrls).toBe(3);
    const after = await handle.db.select({ number: crls.crlNumber }).from(crls);
    expect(after).toEqual([{ number: before.at(-1)!.number }]);
    expect(await getCurrentCrl(handle.db, admin, "prune")).toEqual(served);
  });
});
