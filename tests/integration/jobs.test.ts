import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { refreshCrlsJob } from "@/lib/jobs/refresh-crls";
import { renewServerCertificatesJob } from "@/lib/jobs/renew-server-certificates";
import { probeNodesJob } from "@/lib/jobs/probe-nodes";
import { runJob } from "@/lib/jobs/run-job";
import { listJobStatus } from "@/lib/jobs/job-status";
import { renderMetrics } from "@/lib/services/metrics/render-metrics";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { getCurrentCrl } from "@/lib/services/clusters/get-current-crl";
import { addNode } from "@/lib/services/nodes/add-node";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";

let pg: PostgresServer;
let instanceA: DatabaseHandle;
let instanceB: DatabaseHandle;
const key = parseMasterKey(Buffer.alloc(32, 13).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;
const at = (days: number) => new Date(Date.now() + days * DAY_MS);

beforeAll(async () => {
  pg = await startPostgres({ databases: ["ctls"] });
  const url = pg.url.replace(/\/postgres$/, "/ctls");
  // Two app instances: two pools on one real PostgreSQL.
  instanceA = await openDatabase({ kind: "postgres", url });
  instanceB = await openDatabase({ kind: "postgres", url });
  await createCluster(instanceA.db, admin, key, { name: "orders-prod", crlDays: 8, serverCertDays: 60, renewBeforeDays: 30 });
  await addNode(instanceA.db, admin, keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "primary" });
}, 60_000);
afterAll(async () => {
  await instanceA?.close();
  await instanceB?.close();
  await pg?.stop();
});

const runs = (job: string) => instanceA.db.select().from(schema.jobRuns).where(eq(schema.jobRuns.job, job));

describe("scheduled jobs with a controllable clock", () => {
  it("re-signs a CRL once half its lifetime has passed, not before", async () => {
    const first = await getCurrentCrl(instanceA.db, admin, "orders-prod");
    expect(await runJob(instanceA.db, keyRing, refreshCrlsJob, { now: at(3) })).toMatchObject({
      outcome: "succeeded",
      summary: { checked: 1, refreshed: 0 },
    });
    const later = await runJob(instanceA.db, keyRing, refreshCrlsJob, { now: at(4.1) });
    expect(later).toMatchObject({ outcome: "succeeded", summary: { refreshed: 1 } });
    const fresh = await getCurrentCrl(instanceA.db, admin, "orders-prod");
    expect(fresh.crlNumber).toBe(first.crlNumber + 1n);
    // Signed at the run's clock, valid for the cluster's 8 days from then: well before the old nextUpdate ran out.
    expect(fresh.nextUpdate.getTime()).toBeGreaterThan(first.nextUpdate.getTime() + 3 * DAY_MS);
    const [audit] = await instanceA.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, "crl.refresh"));
    expect(audit).toMatchObject({ actorType: "system", actorLabel: "system" });
  });

  it("renews server certificates inside the renew-before window only, keeping lineage", async () => {
    const active = () =>
      instanceA.db
        .select()
        .from(schema.certificates)
        .where(and(eq(schema.certificates.kind, "server"), eq(schema.certificates.status, "active")));
    const [before] = await active();
    // 60-day certificate, 30-day window: at day 20 it is not due, at day 31 it is.
    expect(await runJob(instanceA.db, keyRing, renewServerCertificatesJob, { now: at(20) })).toMatchObject({
      outcome: "succeeded",
      summary: { due: 0, renewed: [] },
    });
    expect(await runJob(instanceA.db, keyRing, renewServerCertificatesJob, { now: at(31), force: true })).toMatchObject({
      outcome: "succeeded",
      summary: { due: 1, renewed: ["db1.orders.internal"] },
    });
    const [after] = await active();
    expect(after!.id).not.toBe(before!.id);
    expect(after!.replacesCertificateId).toBe(before!.id);
    const [previous] = await instanceA.db.select().from(schema.certificates).where(eq(schema.certificates.id, before!.id));
    expect(previous!.status).toBe("superseded");
  });

  it("two instances on one PostgreSQL run a due job once; the other is told why it skipped", async () => {
    await instanceA.db.delete(schema.jobRuns);
    const now = at(10);
    const results = await Promise.all([
      ...Array.from({ length: 3 }, () => runJob(instanceA.db, keyRing, refreshCrlsJob, { now, instance: "a" })),
      ...Array.from({ length: 3 }, () => runJob(instanceB.db, keyRing, refreshCrlsJob, { now, instance: "b" })),
    ]);
    expect(results.filter((r) => r.outcome === "succeeded")).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "skipped").map((r) => r.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/another instance|already running|not due yet/)]),
    );
    expect(await runs("crl-refresh")).toHaveLength(1);
    // Within the interval nobody runs it again; "Run now" does.
    expect((await runJob(instanceB.db, keyRing, refreshCrlsJob, { now: new Date(now.getTime() + 60_000) })).outcome).toBe("skipped");
    expect(
      (await runJob(instanceB.db, keyRing, refreshCrlsJob, { now: new Date(now.getTime() + 60_000), force: true, trigger: "admin" }))
        .outcome,
    ).toBe("succeeded");
  });

  it("records a failing run with its error", async () => {
    const failing = {
      ...refreshCrlsJob,
      name: "always-fails",
      run: async () => Promise.reject(new Error("the CA key cannot be decrypted")),
    };
    expect(await runJob(instanceA.db, keyRing, failing)).toEqual({
      outcome: "failed",
      error: expect.stringContaining("the CA key cannot be decrypted"),
    });
    const [run] = await runs("always-fails");
    expect(run).toMatchObject({ outcome: "failed", error: expect.stringContaining("cannot be decrypted") });
    expect(run!.finishedAt).toBeInstanceOf(Date);
  });

  it("the probe job records each node's verdict, which /api/metrics exports", async () => {
    // db1.orders.internal resolves nowhere on a test machine: the verdict is "unreachable".
    const now = at(40);
    expect(await runJob(instanceA.db, keyRing, probeNodesJob, { now })).toMatchObject({
      outcome: "succeeded",
      summary: { probed: 1, unreachable: 1 },
    });
    const [node] = await instanceA.db.select().from(schema.nodes);
    expect(node).toMatchObject({ lastProbeStatus: "unreachable", lastProbedAt: now });
    const { body } = await renderMetrics(instanceA.db, "all");
    expect(body).toContain('cluster_tls_node_probe_ok{cluster="orders-prod",node="db1.orders.internal",status="unreachable"} 0');
  });

  it("the Jobs page finds a daily job's last run behind a busy minute job's many runs", async () => {
    const started = at(-2);
    await instanceA.db
      .insert(schema.jobRuns)
      .values({ job: "prune-history", startedAt: started, outcome: "succeeded", summary: { jobRuns: 0 }, instance: "test" });
    await instanceA.db.insert(schema.jobRuns).values(
      Array.from({ length: 60 }, (_, i) => ({
        job: "webhook-delivery",
        startedAt: new Date(Date.now() - i * 1000),
        outcome: "succeeded" as const,
        summary: { delivered: 1 },
        instance: "test",
        trigger: "event",
      })),
    );
    const { jobs, recent } = await listJobStatus(instanceA.db);
    expect(recent.some((run) => run.job === "prune-history")).toBe(false); // out of the recent window…
    const prune = jobs.find((job) => job.name === "prune-history")!;
    expect(prune.last?.startedAt).toEqual(started); // …but its status is still right
    expect(prune.nextDue).toEqual(new Date(started.getTime() + DAY_MS));
    expect(jobs.find((job) => job.name === "webhook-delivery")).toMatchObject({ onDemand: true });
    expect(prune.onDemand).toBe(false);
  });
});
