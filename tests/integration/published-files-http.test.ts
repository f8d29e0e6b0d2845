// Conditional GET on the cached root.crt and CRL endpoints, through the route handlers
// with a real runtime (embedded database in a throwaway data dir).
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";
import { parseCrl } from "@/lib/pki";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-published-http-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

type Handler = (request: NextRequest, context: { params: Promise<{ cluster: string }> }) => Promise<Response>;
let token: string;
let closeDb: () => Promise<void>;
let revoke: () => Promise<string>;
let fast: http.Server;
let fastUrl: string;

beforeAll(async () => {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { closeDatabase } = await import("@/lib/db");
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  const { revokeCertificate } = await import("@/lib/services/certificates/revoke-certificate");
  const { createApiToken } = await import("@/lib/services/tokens/create-api-token");
  closeDb = closeDatabase;
  const runtime = await getRuntime();
  const db = runtime.database.db;
  const cli: Actor = { type: "cli", label: "test" };
  await createCluster(db, cli, runtime.keyRing.current, { name: "orders-prod" });
  token = (await createApiToken(db, cli, { name: "poller", role: "auditor", clusters: ["orders-prod"], days: 1 })).token;
  revoke = async () => {
    const { certificate } = await addNode(db, cli, runtime.keyRing, "orders-prod", {
      hostname: `db${Date.now()}.orders.internal`,
      role: "replica",
    });
    await revokeCertificate(db, cli, runtime.keyRing, certificate.serialHex, "keyCompromise");
    return certificate.serialHex;
  };
  // What scripts/serve.mjs does, with a marker status where Next.js would take over.
  const { servePublishedFileFast } = await import("@/lib/api/published-file-fast-path");
  fast = http.createServer((req, res) => {
    void servePublishedFileFast(req, res).then((handled) => {
      if (!handled) res.writeHead(599).end("left to Next.js");
    });
  });
  await new Promise<void>((resolve) => fast.listen(0, "127.0.0.1", resolve));
  fastUrl = `http://127.0.0.1:${(fast.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => fast?.close(resolve));
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function get(file: "root.crt" | "crl", { query = "", headers = {} as Record<string, string>, auth = true } = {}) {
  const routeModule = (await import(/* @vite-ignore */ path.resolve(`app/api/v1/clusters/[cluster]/${file}/route.ts`))) as { GET: Handler };
  const request = new NextRequest(`http://localhost/api/v1/clusters/orders-prod/${file}${query}`, {
    headers: { ...headers, ...(auth ? { authorization: `Bearer ${token}` } : {}) },
  });
  return routeModule.GET(request, { params: Promise.resolve({ cluster: "orders-prod" }) });
}

describe("conditional GET on root.crt and the CRL", () => {
  it("root.crt: a strong ETag, private no-cache, and a bodiless 304 for the same ETag (also in a list or weak)", async () => {
    const first = await get("root.crt");
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(first.headers.get("cache-control")).toBe("private, no-cache");
    expect(first.headers.get("content-disposition")).toBe('attachment; filename="orders-prod-root.crt"');
    expect(await first.text()).toMatch(/^-----BEGIN CERTIFICATE-----/);

    for (const ifNoneMatch of [etag, `W/${etag}`, `"something-else", ${etag}`, "*"]) {
      const again = await get("root.crt", { headers: { "if-none-match": ifNoneMatch } });
      expect(again.status, ifNoneMatch).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("cache-control")).toBe("private, no-cache");
      expect(await again.text()).toBe("");
    }
    expect((await get("root.crt", { headers: { "if-none-match": '"something-else"' } })).status).toBe(200);
  });

  it("a 304 still needs a valid token", async () => {
    const etag = (await get("root.crt")).headers.get("etag")!;
    const anonymous = await get("root.crt", { headers: { "if-none-match": etag }, auth: false });
    expect(anonymous.status).toBe(401);
  });

  it("CRL (DER): Last-Modified and Expires as before, repeated on the 304; a revocation makes the old ETag miss at once", async () => {
    const first = await get("crl");
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/pkix-crl");
    const etag = first.headers.get("etag")!;
    const crl = parseCrl(new Uint8Array(await first.arrayBuffer()));
    expect(first.headers.get("last-modified")).toBe(crl.thisUpdate.toUTCString());
    expect(first.headers.get("expires")).toBe(crl.nextUpdate!.toUTCString());

    const unchanged = await get("crl", { headers: { "if-none-match": etag } });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get("expires")).toBe(first.headers.get("expires"));
    expect(unchanged.headers.get("last-modified")).toBe(first.headers.get("last-modified"));
    expect(unchanged.headers.get("content-type")).toBeNull();

    const serial = await revoke();
    const changed = await get("crl", { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(parseCrl(new Uint8Array(await changed.arrayBuffer())).entries.map((e) => e.serialHex)).toContain(serial);
  });

  it("CRL (?format=pem): its own ETag, 304 while unchanged, 200 after a revocation", async () => {
    const first = await get("crl", { query: "?format=pem" });
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/x-pem-file");
    expect(await first.text()).toMatch(/^-----BEGIN X509 CRL-----/);
    const etag = first.headers.get("etag")!;
    expect(etag).not.toBe((await get("crl")).headers.get("etag"));
    expect((await get("crl", { query: "?format=pem", headers: { "if-none-match": etag } })).status).toBe(304);
    await revoke();
    expect((await get("crl", { query: "?format=pem", headers: { "if-none-match": etag } })).status).toBe(200);
  });
});

describe("the fast path before Next.js (npm start)", () => {
  const fetchFast = (pathAndQuery: string, init: RequestInit & { auth?: boolean } = {}) =>
    fetch(`${fastUrl}${pathAndQuery}`, {
      ...init,
      headers: { ...(init.auth === false ? {} : { authorization: `Bearer ${token}` }), ...(init.headers as Record<string, string>) },
    });

  it("answers exactly what the route handler answers: same bytes, ETag, headers; 304 too", async () => {
    for (const [file, query] of [
      ["root.crt", ""],
      ["crl", ""],
      ["crl", "?format=pem"],
    ] as const) {
      const viaRoute = await get(file, { query });
      const viaFast = await fetchFast(`/api/v1/clusters/orders-prod/${file}${query}`);
      expect(viaFast.status).toBe(200);
      expect(Buffer.from(await viaFast.arrayBuffer())).toEqual(Buffer.from(await viaRoute.arrayBuffer()));
      for (const name of ["etag", "cache-control", "content-type", "content-disposition", "expires", "last-modified"]) {
        expect(viaFast.headers.get(name), `${file}${query} ${name}`).toBe(viaRoute.headers.get(name));
      }
      const unchanged = await fetchFast(`/api/v1/clusters/orders-prod/${file}${query}`, {
        headers: { "if-none-match": viaFast.headers.get("etag")! },
      });
      expect(unchanged.status).toBe(304);
      expect(await unchanged.text()).toBe("");
    }
  });

  it("serves a revocation's CRL on the next request", async () => {
    const before = await fetchFast("/api/v1/clusters/orders-prod/crl");
    const serial = await revoke();
    const after = await fetchFast("/api/v1/clusters/orders-prod/crl", { headers: { "if-none-match": before.headers.get("etag")! } });
    expect(after.status).toBe(200);
    expect(parseCrl(new Uint8Array(await after.arrayBuffer())).entries.map((e) => e.serialHex)).toContain(serial);
  });

  it("leaves everything but a successful GET to Next.js: no or bad token, unknown cluster, HEAD, other paths", async () => {
    const leftToNext = [
      await fetchFast("/api/v1/clusters/orders-prod/root.crt", { auth: false }),
      await fetchFast("/api/v1/clusters/orders-prod/root.crt", {
        auth: false,
        headers: { authorization: "Bearer ctls_00000000_0000000000000000000000000000000000000000000" },
      }),
      await fetchFast("/api/v1/clusters/no-such-cluster/crl"),
      await fetchFast("/api/v1/clusters/orders-prod/crl", { method: "HEAD" }),
      await fetchFast("/api/v1/clusters/orders-prod/crl/"),
      await fetchFast("/api/v1/clusters/orders-prod/certificates"),
      await fetchFast("/api/v1/clusters/%E0%A4%A/crl"),
    ];
    expect(leftToNext.map((r) => r.status)).toEqual([599, 599, 599, 599, 599, 599, 599]);
  });
});
