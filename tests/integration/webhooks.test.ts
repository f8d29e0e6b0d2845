// Webhooks: events queued in the transaction of the change they report, POSTed with an
// HMAC signature a receiver can verify, retried with back-off, never redirected, and "expiring"
// notices sent once per certificate and threshold.
import fs from "node:fs";
import http from "node:http";
import { createServer, type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, schema, type DatabaseHandle } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { startJobScheduler } from "@/lib/jobs/scheduler";
import type { KeyRing } from "@/lib/secrets/key-ring";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { revokeCertificate } from "@/lib/services/certificates/revoke-certificate";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { addNode } from "@/lib/services/nodes/add-node";
import { deliverDueWebhooks, RETRY_DELAYS_MS } from "@/lib/services/webhooks/deliver-webhooks";
import { createWebhook, deleteWebhook, listWebhooks } from "@/lib/services/webhooks/manage-webhooks";
import { queueExpiryNotices } from "@/lib/services/webhooks/queue-expiry-notices";
import { PRIVATE_TARGET_MESSAGE } from "@/lib/webhooks/private-address";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature } from "@/lib/webhooks/signature";

const key = parseMasterKey(Buffer.alloc(32, 31).toString("base64"), "test");
const keyRing: KeyRing = { current: key, all: [key], source: "test" };
const admin = { type: "cli", label: "test" } as const;

type Received = { path: string; headers: http.IncomingHttpHeaders; body: string };
let received: Received[] = [];
/** What the receiver answers next, per path (default 204). */
let answers: Record<string, { status: number; headers?: Record<string, string> }[]> = {};
let receiver: http.Server;
let base: string;
let dir: string;
let handle: DatabaseHandle;

/** The receiver listens on loopback, which webhooks may reach only with this setting. */
const allowPrivate = (allowed: boolean) => {
  if (allowed) process.env.CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE = "1";
  else delete process.env.CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE;
};

beforeAll(async () => {
  allowPrivate(true);
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body });
      const answer = answers[request.url ?? ""]?.shift() ?? { status: 204 };
      response.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-webhooks-"));
  handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "db") });
  await createCluster(handle.db, admin, key, { name: "orders-prod" });
  await createCluster(handle.db, admin, key, { name: "quiet-prod" });
}, 60_000);
afterAll(async () => {
  await handle?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  allowPrivate(true);
  received = [];
  answers = {};
  // Each test starts with an empty outbox: earlier tests' deliveries are settled.
  await handle.db.update(schema.webhookDeliveries).set({ status: "failed" }).where(eq(schema.webhookDeliveries.status, "pending"));
});

const pending = () => handle.db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.status, "pending"));

describe("registering a webhook", () => {
  it("names the bad field: a non-http URL, credentials in the URL, no event", async () => {
    await expect(
      createWebhook(handle.db, admin, key, "orders-prod", { url: "ftp://hooks.example.com", events: ["certificate.issued"] }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", fieldErrors: { url: ["An http:// or https:// URL without user or password"] } });
    await expect(
      createWebhook(handle.db, admin, key, "orders-prod", { url: "https://user:pw@hooks.example.com", events: ["certificate.issued"] }),
    ).rejects.toMatchObject({ fieldErrors: { url: [expect.any(String)] } });
    await expect(
      createWebhook(handle.db, admin, key, "orders-prod", { url: "https://hooks.example.com", events: [] }),
    ).rejects.toMatchObject({ fieldErrors: { events: ["Choose at least one event"] } });
    await expect(
      createWebhook(handle.db, admin, key, "orders-prod", { url: "https://hooks.example.com", events: ["certificate.stolen" as never] }),
    ).rejects.toMatchObject({ fieldErrors: { events: [expect.stringMatching(/^Events are certificate\.issued/)] } });
  });

  it("keeps the secret encrypted and hands it out once", async () => {
    const webhook = await createWebhook(handle.db, admin, key, "quiet-prod", { url: `${base}/quiet`, events: ["ca.rotation"] });
    expect(webhook.secret).toMatch(/^whsec_[\w-]{43}$/);
    const [row] = await handle.db.select().from(schema.webhooks).where(eq(schema.webhooks.id, webhook.id));
    expect(row!.encryptedSecret).not.toContain(webhook.secret);
    expect(JSON.stringify(await listWebhooks(handle.db, admin, "quiet-prod"))).not.toContain(webhook.secret);
  });
});

describe("delivery", () => {
  let secret: string;
  beforeAll(async () => {
    secret = (
      await createWebhook(handle.db, admin, key, "orders-prod", {
        url: `${base}/hook`,
        events: ["certificate.issued", "certificate.revoked"],
      })
    ).secret;
  });

  it("queues issue and revoke events with the change, POSTs them signed; the receiver verifies the signature", async () => {
    const { certificate } = await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db1.orders.internal", role: "primary" });
    await revokeCertificate(handle.db, admin, keyRing, certificate.serialHex, "keyCompromise");
    expect((await pending()).map((d) => d.event)).toEqual(["certificate.issued", "certificate.revoked"]);

    expect(await deliverDueWebhooks(handle.db, keyRing)).toEqual({ due: 2, delivered: 2, failed: 0 });
    expect(received).toHaveLength(2);
    for (const request of received) {
      const signature = String(request.headers[SIGNATURE_HEADER.toLowerCase()]);
      expect(
        verifyWebhookSignature({
          secret,
          timestamp: String(request.headers[TIMESTAMP_HEADER.toLowerCase()]),
          body: request.body,
          signature,
        }),
      ).toBe(true);
      expect(
        verifyWebhookSignature({
          secret: "whsec_wrong",
          timestamp: String(request.headers[TIMESTAMP_HEADER.toLowerCase()]),
          body: request.body,
          signature,
        }),
      ).toBe(false);
      expect(
        verifyWebhookSignature({
          secret,
          timestamp: String(request.headers[TIMESTAMP_HEADER.toLowerCase()]),
          body: request.body.replace("orders-prod", "orders-evil"),
          signature,
        }),
      ).toBe(false);
      expect(request.body).not.toMatch(/PRIVATE KEY/);
    }
    const [issued, revoked] = received.map((r) => JSON.parse(r.body));
    expect(issued).toMatchObject({
      event: "certificate.issued",
      cluster: { name: "orders-prod" },
      data: { action: "node.create", name: "db1.orders.internal", serial: certificate.serialHex, actor: "test" },
    });
    expect(revoked).toMatchObject({ event: "certificate.revoked", data: { serial: certificate.serialHex, reason: "keyCompromise" } });
    expect(received[0]!.headers["x-cluster-tls-event"]).toBe("certificate.issued");
  });

  it("is delivered about a second after the change, not at the scheduler's next minute", async () => {
    const stopScheduler = startJobScheduler(handle.db, keyRing);
    try {
      const started = Date.now();
      await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db9.orders.internal", role: "replica" });
      while (received.length === 0 && Date.now() - started < 8_000) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received.map((r) => JSON.parse(r.body).data.name)).toEqual(["db9.orders.internal"]);
      expect(Date.now() - started).toBeLessThan(8_000); // the first scheduled tick is 10 s away
      const [run] = await handle.db.select().from(schema.jobRuns).where(eq(schema.jobRuns.trigger, "event"));
      expect(run).toMatchObject({ job: "webhook-delivery", outcome: "succeeded", summary: { delivered: 1 } });
    } finally {
      stopScheduler();
    }
  });

  it("writes nothing when the change's transaction rolls back (outbox)", async () => {
    const [cluster] = await handle.db.select().from(schema.clusters).where(eq(schema.clusters.name, "orders-prod"));
    await expect(
      handle.db.transaction(async (tx) => {
        await recordAuditEvent(tx, admin, { action: "node.reissue", clusterId: cluster!.id, details: { serial: "AB" } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await pending()).toEqual([]);
  });

  it("retries a failing endpoint with back-off, then marks the delivery failed", async () => {
    answers["/hook"] = [{ status: 500 }, { status: 503 }];
    await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db2.orders.internal", role: "replica" });
    const start = new Date();
    expect(await deliverDueWebhooks(handle.db, keyRing, start)).toMatchObject({ delivered: 0, failed: 1 });
    const [first] = await pending();
    expect(first).toMatchObject({ attempts: 1, lastStatusCode: 500, lastError: "HTTP 500" });
    expect(first!.nextAttemptAt.getTime()).toBe(start.getTime() + RETRY_DELAYS_MS[0]!);
    // Not due before its time; due after it.
    expect(await deliverDueWebhooks(handle.db, keyRing, new Date(start.getTime() + 30_000))).toMatchObject({ due: 0 });
    expect(await deliverDueWebhooks(handle.db, keyRing, new Date(start.getTime() + RETRY_DELAYS_MS[0]! + 1))).toMatchObject({ failed: 1 });
    expect(await deliverDueWebhooks(handle.db, keyRing, new Date(start.getTime() + 10 * DAY_MS))).toMatchObject({ delivered: 1 });
    expect(received).toHaveLength(3);

    // An endpoint that never answers 2xx: after 1 + 5 retries the delivery is failed for good.
    answers["/hook"] = Array.from({ length: 6 }, () => ({ status: 500 }));
    await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db3.orders.internal", role: "replica" });
    for (let i = 0; i < 6; i++) await deliverDueWebhooks(handle.db, keyRing, new Date(Date.now() + (i + 1) * DAY_MS));
    const [last] = await handle.db.select().from(schema.webhookDeliveries).where(eq(schema.webhookDeliveries.attempts, 6));
    expect(last).toMatchObject({ status: "failed", lastError: "HTTP 500" });
  });

  it("does not follow a redirect (a webhook cannot be bounced to another address)", async () => {
    answers["/hook"] = [{ status: 302, headers: { Location: `${base}/internal-admin` } }];
    await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db4.orders.internal", role: "replica" });
    await deliverDueWebhooks(handle.db, keyRing);
    expect(received.map((r) => r.path)).toEqual(["/hook"]);
    const [delivery] = await pending();
    // The Location is not logged: it would echo what a probed internal service answered.
    expect(delivery).toMatchObject({ lastStatusCode: 302, lastError: "redirect (HTTP 302) not followed" });
  });

  it("a deleted webhook gets nothing more", async () => {
    const extra = await createWebhook(handle.db, admin, key, "orders-prod", { url: `${base}/extra`, events: ["certificate.issued"] });
    await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db5.orders.internal", role: "replica" });
    await deleteWebhook(handle.db, admin, extra.id);
    await addNode(handle.db, admin, keyRing, "orders-prod", { hostname: "db6.orders.internal", role: "replica" });
    await deliverDueWebhooks(handle.db, keyRing);
    expect(received.filter((r) => r.path === "/extra")).toEqual([]);
    await expect(deleteWebhook(handle.db, admin, extra.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("private targets (loopback, link-local, private networks) without CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE", () => {
  beforeAll(async () => {
    await createCluster(handle.db, admin, key, { name: "public-targets" });
    await createCluster(handle.db, admin, key, { name: "rebound-prod" });
  });

  it.each([
    "http://127.0.0.1:8080/",
    "http://localhost/",
    "http://db.localhost/",
    "http://0.0.0.0/",
    "http://2130706433/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/",
    "http://[::1]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
  ])("refuses %s at creation with a field error naming the setting", async (url) => {
    allowPrivate(false);
    await expect(createWebhook(handle.db, admin, key, "public-targets", { url, events: ["certificate.issued"] })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { url: [PRIVATE_TARGET_MESSAGE] },
    });
  });

  it("refuses at creation a host name that resolves to a private address", async () => {
    allowPrivate(false);
    // The machine's own name resolves (through /etc/hosts) to a loopback or private address.
    const url = `http://${os.hostname()}/`;
    await expect(createWebhook(handle.db, admin, key, "public-targets", { url, events: ["certificate.issued"] })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { url: [expect.stringMatching(new RegExp(`^${os.hostname()} resolves to .*CLUSTER_TLS_WEBHOOK_ALLOW_PRIVATE=1`))] },
    });
  });

  it("accepts public addresses", async () => {
    allowPrivate(false);
    for (const url of ["http://93.184.215.14/", "http://172.32.0.1/", "https://[2606:4700::1111]/", "https://hooks.example.com/"]) {
      await expect(createWebhook(handle.db, admin, key, "public-targets", { url, events: ["ca.rotation"] }), url).resolves.toMatchObject({
        url,
      });
    }
  });

  it("refuses at delivery, after resolving the name, a webhook registered while they were allowed", async () => {
    const port = (receiver.address() as AddressInfo).port;
    await createWebhook(handle.db, admin, key, "rebound-prod", { url: `http://localhost:${port}/rebound`, events: ["certificate.issued"] });
    await createWebhook(handle.db, admin, key, "rebound-prod", {
      url: `http://[::ffff:127.0.0.1]:${port}/literal`,
      events: ["certificate.issued"],
    });
    allowPrivate(false);
    await addNode(handle.db, admin, keyRing, "rebound-prod", { hostname: "db1.rebound.internal", role: "primary" });
    expect(await deliverDueWebhooks(handle.db, keyRing)).toMatchObject({ due: 2, delivered: 0, failed: 2 });
    expect(received).toEqual([]);
    for (const delivery of await pending())
      expect(delivery).toMatchObject({ lastStatusCode: null, lastError: "refused: loopback, link-local or private address" });
  });

  it("logs only the class of a connection error, not the socket's message", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await createWebhook(handle.db, admin, key, "public-targets", { url: `http://127.0.0.1:${port}/`, events: ["certificate.issued"] });
    await addNode(handle.db, admin, keyRing, "public-targets", { hostname: "db1.public.internal", role: "primary" });
    await deliverDueWebhooks(handle.db, keyRing);
    const [delivery] = await pending();
    expect(delivery).toMatchObject({ lastStatusCode: null, lastError: "connection refused" });
  });
});

describe("expiry notices", () => {
  it("sends one notice per certificate and threshold (30, 7, 1 days), however often the scan runs", async () => {
    await createCluster(handle.db, admin, key, { name: "short-lived", serverCertDays: 40 });
    await createWebhook(handle.db, admin, key, "short-lived", { url: `${base}/expiring`, events: ["certificate.expiring"] });
    const { certificate } = await addNode(handle.db, admin, keyRing, "short-lived", { hostname: "db1.short.internal", role: "primary" });
    const at = (daysLeft: number) => new Date(certificate.notAfter.getTime() - daysLeft * DAY_MS);

    expect(await queueExpiryNotices(handle.db, at(35))).toEqual({ expiring: 0, queued: 0 });
    expect(await queueExpiryNotices(handle.db, at(20))).toEqual({ expiring: 1, queued: 1 });
    expect(await queueExpiryNotices(handle.db, at(19))).toEqual({ expiring: 1, queued: 0 });
    expect(await queueExpiryNotices(handle.db, at(6.5))).toEqual({ expiring: 1, queued: 1 });
    expect(await queueExpiryNotices(handle.db, at(0.5))).toEqual({ expiring: 1, queued: 1 });
    expect(await queueExpiryNotices(handle.db, at(0.4))).toEqual({ expiring: 1, queued: 0 });
    await deliverDueWebhooks(handle.db, keyRing, at(0.4));
    const notices = received.filter((r) => r.path === "/expiring").map((r) => JSON.parse(r.body).data);
    expect(notices.map((n: { threshold: number }) => n.threshold)).toEqual([30, 7, 1]);
    expect(notices[0]).toMatchObject({ kind: "server", name: "db1.short.internal", serial: certificate.serialHex, daysLeft: 20 });
  });
});
