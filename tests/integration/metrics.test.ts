import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";

// The route opens the database through getRuntime(): point it at a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-metrics-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
process.env.CLUSTER_TLS_METRICS_TOKEN = "scrape-secret-0123456789";
delete process.env.DATABASE_URL;

const tokens = { orders: "" };
let closeDb: () => Promise<void>;
const serials = { server: "", client: "" };

beforeAll(async () => {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { closeDatabase } = await import("@/lib/db");
  closeDb = closeDatabase;
  const { db } = (await getRuntime()).database;
  const { keyRing } = await getRuntime();
  const cli: Actor = { type: "cli", label: "test" };
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  const { issueClientBundle } = await import("@/lib/services/certificates/issue-client-bundle");
  const { revokeCertificate } = await import("@/lib/services/certificates/revoke-certificate");
  const { createApiToken } = await import("@/lib/services/tokens/create-api-token");
  for (const name of ["orders-prod", "billing-prod"]) await createCluster(db, cli, keyRing.current, { name });
  serials.server = (
    await addNode(db, cli, keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "primary" })
  ).certificate.serialHex;
  serials.client = (await issueClientBundle(db, cli, keyRing, "orders-prod", { databaseUser: "app" })).serialHex;
  await addNode(db, cli, keyRing, "billing-prod", { hostname: "pg1.billing.internal", role: "primary" });
  const revoked = await addNode(db, cli, keyRing, "orders-prod", { hostname: "db2.orders.internal", role: "replica" });
  await revokeCertificate(db, cli, keyRing, revoked.certificate.serialHex, "superseded");
  tokens.orders = (await createApiToken(db, cli, { name: "grafana", role: "auditor", clusters: ["orders-prod"], days: 30 })).token;
});
afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function scrape(authorization?: string) {
  const { GET } = await import("@/app/api/metrics/route");
  const request = new NextRequest("http://localhost/api/metrics", { headers: authorization ? { authorization } : {} });
  return GET(request, { params: Promise.resolve({}) });
}

const family = (text: string, name: string) => parsePrometheusTextFormat(text).find((f) => f.name === name);

describe("/api/metrics", () => {
  it("parses as Prometheus text: expiry per active certificate, CRL nextUpdate per CA, issuance and revocation counters", async () => {
    const response = await scrape("Bearer scrape-secret-0123456789");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const expiry = family(text, "cluster_tls_certificate_expiry_timestamp_seconds")!;
    expect(expiry.type).toBe("GAUGE");
    const server = expiry.metrics.find((m) => m.labels?.serial === serials.server)!;
    expect(server.labels).toEqual({ cluster: "orders-prod", kind: "server", name: "db1.orders.internal", serial: serials.server });
    expect(Number(server.value)).toBeGreaterThan(Date.now() / 1000 + 390 * 86_400);
    expect(expiry.metrics.find((m) => m.labels?.serial === serials.client)!.labels).toMatchObject({ kind: "client", name: "app" });
    expect(expiry.metrics.some((m) => m.labels?.name === "db2.orders.internal")).toBe(false); // revoked: no longer expiring
    const crl = family(text, "cluster_tls_crl_next_update_timestamp_seconds")!;
    expect(crl.metrics.map((m) => m.labels)).toEqual(
      expect.arrayContaining([
        { cluster: "orders-prod", ca: "orders-prod Root CA" },
        { cluster: "billing-prod", ca: "billing-prod Root CA" },
      ]),
    );
    expect(family(text, "cluster_tls_certificates_issued_total")!.metrics).toEqual(
      expect.arrayContaining([{ labels: { cluster: "orders-prod", kind: "server" }, value: "2" }]),
    );
    expect(family(text, "cluster_tls_certificates_revoked_total")!.metrics).toEqual([
      { labels: { cluster: "orders-prod", kind: "server" }, value: "1" },
    ]);
  });

  it("an API token sees only its clusters; no credential or a wrong scrape token is refused", async () => {
    const scoped = await (await scrape(`Bearer ${tokens.orders}`)).text();
    expect(scoped).toContain('cluster="orders-prod"');
    expect(scoped).not.toContain("billing-prod");
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer scrape-secret-0123456788")).status).toBe(401);
  });
});
