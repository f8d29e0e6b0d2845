import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/access/actor";

// Route handlers open the database through getRuntime(): point it at a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-agent-enroll-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;

const cli: Actor = { type: "cli", label: "test" };
let closeDb: () => Promise<void>;
let runtime: Awaited<ReturnType<typeof import("@/lib/runtime/bootstrap").getRuntime>>;
let nodeId = "";

type Handler = (r: NextRequest, c: unknown) => Promise<Response>;
async function call(
  file: string,
  method: "GET" | "POST",
  { body, bearer, headers = {} }: { body?: unknown; bearer?: string; headers?: Record<string, string> } = {},
) {
  const handler = ((await import(/* @vite-ignore */ path.resolve(file))) as Record<string, Handler>)[method]!;
  const request = new NextRequest("http://localhost/api/v1/agent", {
    method,
    headers: { ...headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve({}) });
}
const ENROLL = "app/api/v1/agent/enroll/route.ts";
const STATE = "app/api/v1/agent/state/route.ts";

beforeAll(async () => {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { closeDatabase } = await import("@/lib/db");
  closeDb = closeDatabase;
  runtime = await getRuntime();
  const { createCluster } = await import("@/lib/services/clusters/create-cluster");
  const { addNode } = await import("@/lib/services/nodes/add-node");
  await createCluster(runtime.database.db, cli, runtime.keyRing.current, {
    name: "agents-prod",
    sharedDnsNames: ["primary.agents.internal"],
  });
  nodeId = (
    await addNode(runtime.database.db, cli, runtime.keyRing, "agents-prod", {
      hostname: "db1.agents.internal",
      role: "primary",
      ipAddresses: ["10.1.0.1"],
    })
  ).node.id;
});
afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function newCode() {
  const { createEnrollmentCode } = await import("@/lib/services/agents/create-enrollment-code");
  return (await createEnrollmentCode(runtime.database.db, cli, nodeId)).code;
}
const serverCertificates = async () => {
  const { schema } = await import("@/lib/db");
  return runtime.database.db.select().from(schema.certificates).where(eq(schema.certificates.nodeId, nodeId));
};

describe("agent enrollment and its node credential", () => {
  let credential = "";
  let agentKeyPem = "";

  it("enrolls once with a nameless CSR: the certificate gets every node name, the server stores no key", async () => {
    const { createCsr } = await import("@/lib/pki");
    const code = await newCode();
    const csr = await createCsr({});
    agentKeyPem = csr.privateKeyPem;
    const enrolled = await call(ENROLL, "POST", { body: { code, csrPem: csr.csrPem } });
    expect(enrolled.status).toBe(201);
    const body = await enrolled.json();
    expect(body.credential).toMatch(/^ctlsn_[a-z0-9]{8}_/);
    expect(body.certificate.sans).toEqual(["db1.agents.internal", "primary.agents.internal", "10.1.0.1"]);
    expect(JSON.stringify(body)).not.toContain("PRIVATE KEY");
    credential = body.credential;
    const active = (await serverCertificates()).find((c) => c.status === "active")!;
    expect(active).toMatchObject({ fromCsr: true, encryptedPrivateKey: null, serialHex: body.certificate.serial });

    const again = await call(ENROLL, "POST", { body: { code, csrPem: csr.csrPem } });
    expect(again.status).toBe(401);
    expect((await again.json()).error.message).toMatch(/already used/);
  });

  it("refuses an expired code and names it", async () => {
    const { schema } = await import("@/lib/db");
    const { sha256Hex } = await import("@/lib/services/agents/agent-secrets");
    const code = await newCode();
    await runtime.database.db
      .update(schema.agentEnrollmentCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.agentEnrollmentCodes.codeHash, sha256Hex(code)));
    const { createCsr } = await import("@/lib/pki");
    const response = await call(ENROLL, "POST", { body: { code, csrPem: (await createCsr({})).csrPem } });
    expect(response.status).toBe(401);
    expect((await response.json()).error.message).toMatch(/expired on/);
  });

  it("serves its own node's state with an ETag; the same ETag gets a bodiless 304", async () => {
    const first = await call(STATE, "GET", { bearer: credential });
    expect(first.status).toBe(200);
    const state = await first.json();
    expect(state.node.hostname).toBe("db1.agents.internal");
    expect(state.rootPem).toMatch(/BEGIN CERTIFICATE/);
    expect(state.crlPem).toMatch(/BEGIN X509 CRL/);
    expect(state.renewalRequested).toBe(false);
    const cached = await call(STATE, "GET", { bearer: credential, headers: { "if-none-match": first.headers.get("etag")! } });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe("");
    expect(agentKeyPem).toMatch(/PRIVATE KEY/); // stays here, on the "node"
  });

  it("a Re-issue asks the agent for a new key; its CSR clears the request; a CSR for another name is refused", async () => {
    const { reissueNodeCertificate } = await import("@/lib/services/nodes/reissue-node-certificate");
    await reissueNodeCertificate(runtime.database.db, cli, runtime.keyRing, nodeId);
    expect((await (await call(STATE, "GET", { bearer: credential })).json()).renewalRequested).toBe(true);
    const { createCsr } = await import("@/lib/pki");
    const foreign = await call("app/api/v1/agent/csr/route.ts", "POST", {
      bearer: credential,
      body: { csrPem: (await createCsr({ subject: { CN: "db9.agents.internal" }, dnsNames: ["db9.agents.internal"] })).csrPem },
    });
    expect(foreign.status).toBe(422);
    expect((await foreign.json()).error.code).toBe("CSR_NAME_NOT_ALLOWED");
    const renewed = await call("app/api/v1/agent/csr/route.ts", "POST", {
      bearer: credential,
      body: {
        csrPem: (await createCsr({ subject: { CN: "db1.agents.internal" }, dnsNames: ["db1.agents.internal"], ipAddresses: ["10.1.0.1"] }))
          .csrPem,
      },
    });
    expect(renewed.status).toBe(201);
    expect((await (await call(STATE, "GET", { bearer: credential })).json()).renewalRequested).toBe(false);
  });

  it("the first status where served = issued drops every server key still stored for the node", async () => {
    const { schema } = await import("@/lib/db");
    // A key stored from before the agent (the node's first, server-made certificate).
    const before = (await serverCertificates()).filter((c) => c.encryptedPrivateKey !== null);
    expect(before.length).toBeGreaterThan(0);
    const state = await (await call(STATE, "GET", { bearer: credential })).json();
    const serial: string = state.certificate.serial;
    const notYet = await call("app/api/v1/agent/status/route.ts", "POST", {
      bearer: credential,
      body: { agentVersion: "1", installedSerial: serial, servedSerial: "0ABC" },
    });
    expect(await notYet.json()).toEqual({ issuedSerial: serial, confirmed: false });
    expect((await serverCertificates()).filter((c) => c.encryptedPrivateKey !== null).length).toBe(before.length);
    const confirmed = await call("app/api/v1/agent/status/route.ts", "POST", {
      bearer: credential,
      body: { agentVersion: "1", installedSerial: serial, servedSerial: serial },
    });
    expect(await confirmed.json()).toEqual({ issuedSerial: serial, confirmed: true });
    expect((await serverCertificates()).filter((c) => c.encryptedPrivateKey !== null)).toEqual([]);
    const [agent] = await runtime.database.db.select().from(schema.nodeAgents).where(eq(schema.nodeAgents.nodeId, nodeId));
    expect(agent!.firstConfirmedAt).not.toBeNull();
    expect(agent!.lastStatus).toMatchObject({ servedSerial: serial, issuedSerial: serial });
  });

  it("an idle poll costs one statement for the state and one for the report, besides the credential lookups", async () => {
    // Every agent polls once a minute (a 10,000-node fleet: 167 polls/s), and on the embedded
    // database each statement costs ~1 ms of this process's CPU. Counted through Drizzle's query
    // logger, on the session and on the options that transactions' sessions are made from.
    const session = (runtime.database.db as unknown as { session: { logger: unknown; options: { logger?: unknown } } }).session;
    const statements: string[] = [];
    const logger = { logQuery: (query: string) => statements.push(query) };
    const saved = { logger: session.logger, options: session.options.logger };
    const state = await call(STATE, "GET", { bearer: credential });
    const etag = state.headers.get("etag")!;
    const serial: string = (await state.json()).certificate.serial;
    const report = { agentVersion: "1", installedSerial: serial, servedSerial: serial };
    const countPoll = async () => {
      statements.length = 0;
      session.logger = logger;
      session.options.logger = logger;
      try {
        expect((await call(STATE, "GET", { bearer: credential, headers: { "if-none-match": etag } })).status).toBe(304);
        expect(await (await call("app/api/v1/agent/status/route.ts", "POST", { bearer: credential, body: report })).json()).toEqual({
          issuedSerial: serial,
          confirmed: true,
        });
      } finally {
        session.logger = saved.logger;
        session.options.logger = saved.options;
      }
      // The published files' version re-read (at most once a second) is the cache's, not the poll's.
      return statements.filter((s) => !/node_credential|pki_versions/.test(s) && !/"credential_hash" = \$1/.test(s));
    };
    await countPoll();
    const work = await countPoll();
    expect(work, work.join("\n")).toHaveLength(2);
    expect(work[0]).toMatch(/^select .*from "node_agents"/);
    expect(work[1]).toMatch(/^update "node_agents"/);
  });

  it("npm start answers the agent's state and status before Next.js, with the route's statuses, headers and bodies", async () => {
    // What scripts/serve.mjs does, with a marker status where Next.js would take over.
    const { serveAgentFast } = await import("@/lib/api/agent-fast-path");
    const server = http.createServer((req, res) => {
      void serveAgentFast(req, res).then((handled) => {
        if (!handled) res.writeHead(599).end("left to Next.js");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const both = async (
      method: "GET" | "POST",
      file: string,
      url: string,
      { bearer, body, headers = {} }: { bearer?: string; body?: string; headers?: Record<string, string> },
    ) => {
      const route = await call(file, method, {
        bearer,
        headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.parse(body) }),
      });
      const fast = await fetch(`${base}${url}`, {
        method,
        body,
        headers: { ...headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      });
      return { route, fast };
    };
    try {
      const state = await both("GET", STATE, "/api/v1/agent/state", { bearer: credential });
      expect(state.fast.status).toBe(200);
      expect(state.fast.headers.get("etag")).toBe(state.route.headers.get("etag"));
      expect(state.fast.headers.get("cache-control")).toBe("private, no-cache");
      expect(await state.fast.json()).toEqual(await state.route.json());
      const etag = state.fast.headers.get("etag")!;
      const idle = await fetch(`${base}/api/v1/agent/state`, { headers: { authorization: `Bearer ${credential}`, "if-none-match": etag } });
      expect(idle.status).toBe(304);
      expect(idle.headers.get("etag")).toBe(etag);
      expect(await idle.text()).toBe("");

      const serial: string = (await (await call(STATE, "GET", { bearer: credential })).json()).certificate.serial;
      const report = JSON.stringify({ agentVersion: "1", installedSerial: serial, servedSerial: serial });
      const status = await both("POST", "app/api/v1/agent/status/route.ts", "/api/v1/agent/status", { bearer: credential, body: report });
      expect(status.fast.status).toBe(200);
      expect(await status.fast.json()).toEqual(await status.route.json());

      // Errors: the same status and body as the route's.
      const wrongCredential = `ctlsn_abcdefgh_${"A".repeat(43)}`;
      for (const [label, method, file, url, options] of [
        ["unknown credential", "GET", STATE, "/api/v1/agent/state", { bearer: wrongCredential }],
        [
          "malformed credential",
          "POST",
          "app/api/v1/agent/status/route.ts",
          "/api/v1/agent/status",
          { bearer: "ctlsn_short", body: report },
        ],
        [
          "invalid status",
          "POST",
          "app/api/v1/agent/status/route.ts",
          "/api/v1/agent/status",
          { bearer: credential, body: JSON.stringify({ agentVersion: "", installedSerial: "xyz" }) },
        ],
      ] as const) {
        const answer = await both(method, file, url, options);
        expect(answer.fast.status, label).toBe(answer.route.status);
        expect(answer.fast.status, label).toBeGreaterThanOrEqual(400);
        expect(await answer.fast.json(), label).toEqual(await answer.route.json());
      }
      // A status that breaks ZAgentStatusInput: the one contract error, every problem by field, on both paths.
      const invalid = await both("POST", "app/api/v1/agent/status/route.ts", "/api/v1/agent/status", {
        bearer: credential,
        body: JSON.stringify({ agentVersion: "", installedSerial: "xyz" }),
      });
      expect(await invalid.fast.json()).toMatchObject({
        error: {
          code: "VALIDATION_FAILED",
          message: expect.stringMatching(/^agentVersion: /),
          fields: { agentVersion: [expect.any(String)], installedSerial: [expect.any(String)], servedSerial: [expect.any(String)] },
        },
      });
      const notJson = await fetch(`${base}/api/v1/agent/status`, {
        method: "POST",
        body: "{",
        headers: { authorization: `Bearer ${credential}` },
      });
      expect(notJson.status).toBe(400);
      expect((await notJson.json()).error.message).toBe("request body is not valid JSON");
      // Anyone but a node's agent, and anything but these two, is Next's to answer.
      for (const [url, init] of [
        ["/api/v1/agent/state", { headers: { authorization: "Bearer ctlst_someapitoken" } }],
        ["/api/v1/agent/state", {}],
        ["/api/v1/agent/status", { headers: { authorization: `Bearer ${credential}` } }],
        ["/api/v1/agent/csr", { method: "POST", body: "{}", headers: { authorization: `Bearer ${credential}` } }],
      ] as const) {
        expect((await fetch(`${base}${url}`, init)).status, url).toBe(599);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("enrolling again replaces the credential: the old one is refused", async () => {
    const { createCsr } = await import("@/lib/pki");
    const enrolled = await call(ENROLL, "POST", { body: { code: await newCode(), csrPem: (await createCsr({})).csrPem } });
    expect(enrolled.status).toBe(201);
    const old = await call(STATE, "GET", { bearer: credential });
    expect(old.status).toBe(401);
    expect((await old.json()).error.message).toMatch(/unknown node credential/);
  });

  it("serves the built agent without sign-in, and its SHA-256 in sha256sum's format", async () => {
    const { createHash } = await import("node:crypto");
    const { buildAgentBundle } = await import("@/tests/support/agent-cli");
    buildAgentBundle();
    const file = await call("app/api/v1/tools/cluster-tls.mjs/route.ts", "GET");
    expect(file.status).toBe(200);
    const body = Buffer.from(await file.arrayBuffer());
    expect(body.toString("utf8", 0, 20)).toBe("#!/usr/bin/env node\n");
    const sum = await (await call("app/api/v1/tools/cluster-tls.mjs.sha256/route.ts", "GET")).text();
    expect(sum).toBe(`${createHash("sha256").update(body).digest("hex")}  cluster-tls.mjs\n`);
  });

  it("is run by the agent tests on Node 18, the oldest Node it promises (npm test fetches it into .tmp/node18)", async () => {
    const { spawnSync } = await import("node:child_process");
    const { AGENT_BUNDLE, AGENT_NODE, buildAgentBundle } = await import("@/tests/support/agent-cli");
    expect(
      spawnSync(AGENT_NODE.binary, ["--version"], { encoding: "utf8" }).stdout,
      "run `node scripts/test-support/node18.mjs` or npm test once",
    ).toMatch(/^v18\./);
    buildAgentBundle();
    const usage = spawnSync(AGENT_NODE.binary, [AGENT_BUNDLE, "agent", "--help"], { encoding: "utf8" });
    expect(`${usage.stdout}${usage.stderr}`).toContain("agent enroll --server URL");
  });
});
