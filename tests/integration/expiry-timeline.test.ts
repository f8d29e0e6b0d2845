import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { countCertificatesByCluster } from "@/lib/services/clusters/count-certificates-by-cluster";
import { getExpiryTimeline } from "@/lib/services/timeline/get-expiry-timeline";
import { listMyExpiringCertificates } from "@/lib/services/certificates/list-my-expiring-certificates";
import { listNodes } from "@/lib/services/nodes/list-nodes";
import { certificateRow, insertClusterWithCa } from "@/tests/support/db-fixtures";

let handle: DatabaseHandle;
let dir: string;
const admin: Actor = { type: "cli", label: "test" };
const now = new Date();
const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
const ids = { orders: "", billing: "", ordersCa: "" };
const leaf = (clusterId: string, values: Parameters<typeof certificateRow>[1]) =>
  certificateRow(clusterId, { notBefore: at(-400), ...values });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-timeline-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  const orders = await insertClusterWithCa(handle.db, "orders-prod");
  const billing = await insertClusterWithCa(handle.db, "billing-prod");
  Object.assign(ids, { orders: orders.cluster.id, billing: billing.cluster.id, ordersCa: orders.ca.id });
  await handle.db.insert(schema.crls).values([
    { caId: orders.ca.id, crlNumber: 1n, thisUpdate: at(-10), nextUpdate: at(-3), entryCount: 0, der: new Uint8Array([1]) },
    { caId: orders.ca.id, crlNumber: 2n, thisUpdate: at(-1), nextUpdate: at(6), entryCount: 1, der: new Uint8Array([2]) },
  ]);
  await handle.db.insert(schema.certificates).values([
    leaf(ids.orders, { commonName: "db1", notAfter: at(5) }),
    leaf(ids.orders, { commonName: "db2", notAfter: at(20) }),
    leaf(ids.orders, { kind: "client", commonName: "app", databaseUser: "app", notAfter: at(-2) }),
    leaf(ids.orders, { commonName: "old", notAfter: at(3), status: "superseded" }),
    leaf(ids.orders, {
      kind: "client",
      commonName: "gone",
      databaseUser: "gone",
      notAfter: at(60),
      status: "revoked",
      revokedAt: at(-1),
      revocationReason: "keyCompromise",
    }),
    ...Array.from({ length: 30 }, (_, i) =>
      leaf(ids.billing, { kind: "client", commonName: `c${i}`, databaseUser: `c${i}`, notAfter: at(100 + (i % 3) * 7) }),
    ),
  ]);
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("expiry timeline data", () => {
  it("draws the soonest active leaves, counts every one per week, and marks each CA's latest CRL", async () => {
    const data = await getExpiryTimeline(handle.db, admin, { clusterId: ids.orders });
    expect(data.certificates.map((c) => c.label)).toEqual(["app", "db1", "db2"]);
    expect(data.totals).toEqual({ server: 2, client: 1 });
    expect(data.authorities).toHaveLength(1);
    expect(data.crls).toEqual([{ caId: ids.ordersCa, clusterName: "orders-prod", nextUpdate: at(6) }]);
  });

  it("aggregates a large fleet into weekly buckets and limits the bars", async () => {
    const data = await getExpiryTimeline(handle.db, admin, { limit: 10 });
    expect(data.certificates).toHaveLength(10);
    expect(data.totals.client).toBe(31);
    const billingWeeks = data.weeklyExpiries.filter((w) => w.weekStart > at(90));
    expect(billingWeeks.reduce((sum, w) => sum + w.count, 0)).toBe(30);
    for (const w of data.weeklyExpiries) expect(w.weekStart.getUTCDay()).toBe(1); // ISO weeks start on Monday
  });

  it("shows only the clusters the actor may see", async () => {
    const stranger: Actor = { type: "user", id: "nobody", label: "x@example.com", role: "developer" };
    const data = await getExpiryTimeline(handle.db, stranger);
    expect(data).toEqual({ authorities: [], crls: [], certificates: [], weeklyExpiries: [], totals: { server: 0, client: 0 } });
  });

  it("counts each cluster's leaves by the status people act on", async () => {
    const counts = await countCertificatesByCluster(handle.db, [ids.orders, ids.billing], now);
    expect(counts.get(ids.orders)).toEqual({ active: 0, expiring: 2, expired: 1, revoked: 1 });
    expect(counts.get(ids.billing)).toEqual({ active: 30, expiring: 0, expired: 0, revoked: 0 });
  });

  it("tells a developer which of their own client certificates end soon, and nobody else's", async () => {
    await handle.db.insert(schema.users).values([
      { id: "dev-1", email: "dev@example.com", name: "Dev", role: "developer" },
      { id: "dev-2", email: "other@example.com", name: "Other", role: "developer" },
    ]);
    await handle.db
      .insert(schema.certificates)
      .values([
        leaf(ids.orders, { kind: "client", commonName: "mine-soon", databaseUser: "mine-soon", ownerUserId: "dev-1", notAfter: at(5) }),
        leaf(ids.orders, { kind: "client", commonName: "mine-later", databaseUser: "mine-later", ownerUserId: "dev-1", notAfter: at(60) }),
        leaf(ids.orders, { kind: "client", commonName: "theirs", databaseUser: "theirs", ownerUserId: "dev-2", notAfter: at(5) }),
      ]);
    const dev: Actor = { type: "user", id: "dev-1", label: "dev@example.com", role: "developer" };
    expect((await listMyExpiringCertificates(handle.db, dev)).map((c) => c.databaseUser)).toEqual(["mine-soon"]);
  });

  it("lists a cluster's nodes in the timeline's order: soonest expiry first, then by host name", async () => {
    const { cluster } = await insertClusterWithCa(handle.db, "sorting");
    const nodes = await handle.db
      .insert(schema.nodes)
      .values(
        ["zz.internal", "aa.internal", "mm.internal", "bare.internal"].map((hostname) => ({
          clusterId: cluster.id,
          hostname,
          role: "replica" as const,
        })),
      )
      .returning();
    const idOf = (hostname: string) => nodes.find((n) => n.hostname === hostname)!.id;
    const sameInstant = at(10); // a "re-issue all" gives many nodes the same notAfter
    await handle.db
      .insert(schema.certificates)
      .values([
        leaf(cluster.id, { nodeId: idOf("zz.internal"), commonName: "zz.internal", notAfter: sameInstant }),
        leaf(cluster.id, { nodeId: idOf("aa.internal"), commonName: "aa.internal", notAfter: at(50) }),
        leaf(cluster.id, { nodeId: idOf("mm.internal"), commonName: "mm.internal", notAfter: sameInstant }),
      ]);
    const listed = (await listNodes(handle.db, cluster.id)).rows.map((n) => n.hostname);
    const drawn = (await getExpiryTimeline(handle.db, admin, { clusterId: cluster.id })).certificates.map((c) => c.label);
    // A node without a certificate needs attention before any that has one.
    expect(listed).toEqual(["bare.internal", "mm.internal", "zz.internal", "aa.internal"]);
    expect(drawn).toEqual(listed.filter((hostname) => hostname !== "bare.internal"));
  });
});
