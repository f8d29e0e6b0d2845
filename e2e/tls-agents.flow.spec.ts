import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { unzipSync } from "fflate";
import { startPostgres, type PostgresServer } from "../scripts/test-harness/postgres-server";
import { buildAgentBundle, editConfig, runAgent, startAgent } from "../tests/support/agent-cli";
import { STORAGE_STATE } from "./support/accounts";

// Two real PostgreSQL 15 nodes with the bundled agent talking to the production server: one agent
// runs, the other stops after enrolling. The node page, the nodes table and /api/metrics show
// issued / installed / served; the stopped one turns stale after three of its poll intervals and
// agent.stale reaches a webhook receiver on loopback exactly once. A reload that does not take
// shows as failed with PostgreSQL's reason and sends agent.install_failed once. Named to run after
// the other flows (one file at a time, in name order): they count clusters this one adds.
test.describe.configure({ mode: "serial" });
test.use({ storageState: STORAGE_STATE.admin });

const suffix = Date.now().toString(36);
const clusterName = `agents-${suffix}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-e2e-agents-"));
fs.chmodSync(dir, 0o755);
let token = "";
let clusterId = "";
type Node = { id: string; hostname: string; serial: string; pg: PostgresServer; config: string };
const nodes: Record<"running" | "stopped", Node> = {} as never;
let running: ReturnType<typeof startAgent> | null = null;
const received: { event: string; data: { hostname?: string } }[] = [];
let receiver: http.Server;

const auth = () => ({ Authorization: `Bearer ${token}` });

/** Adds a node over the API, starts PostgreSQL with its server bundle, and enrolls the bundled agent. */
async function nodeWithAgent(request: APIRequestContext, baseURL: string, hostname: string, intervalSeconds: number): Promise<Node> {
  const added = await request.post(`/api/v1/clusters/${clusterName}/nodes`, {
    headers: auth(),
    data: { hostname, role: "replica", ipAddresses: ["127.0.0.1"] },
  });
  expect(added.status(), await added.text()).toBe(201);
  const { id } = (await added.json()) as { id: string };
  const zip = await request.get(`/api/v1/nodes/${id}/bundle`, { headers: auth() });
  const files = Object.fromEntries(
    Object.entries(unzipSync(new Uint8Array(await zip.body()))).map(([name, data]) => [
      path.basename(name),
      Buffer.from(data).toString("utf8"),
    ]),
  );
  const pg = await startPostgres({
    tls: { cert: files["server.crt"]!, key: files["server.key"]!, ca: files["root.crt"]!, crl: files["root.crl"]! },
    hba: ["local all all trust", "hostssl all all 127.0.0.1/32 cert"],
  });
  const code = (await (await request.post(`/api/v1/nodes/${id}/enrollment`, { headers: auth() })).json()) as { code: string };
  const config = path.join(dir, hostname, "agent.json");
  const enrolled = await runAgent([
    "enroll",
    "--server",
    baseURL,
    "--code",
    code.code,
    "--config",
    config,
    "--data-dir",
    pg.dataDir,
    "--owner",
    "postgres",
    "--service",
    "postgres",
    "--verify-address",
    `127.0.0.1:${pg.port}`,
    "--reload",
    "pg_ctl",
    "--log-file",
    path.join(pg.socketDir, "server.log"),
    "--interval",
    String(intervalSeconds),
    "--prove-timeout",
    "5",
  ]);
  expect(enrolled.code, enrolled.output).toBe(0);
  const certificates = (await (await request.get(`/api/v1/clusters/${clusterName}/certificates`, { headers: auth() })).json()) as {
    certificates: { serial: string; nodeId?: string; kind: string; status: string }[];
  };
  const serial = certificates.certificates.find((c) => c.nodeId === id && c.kind === "server" && c.status === "active")!.serial;
  return { id, hostname, serial, pg, config };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  buildAgentBundle();
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const context = await browser.newContext({ storageState: STORAGE_STATE.admin });
  const page = await context.newPage();
  await page.goto("/settings/tokens");
  const form = page.getByRole("form", { name: "Create API token" });
  await form.getByLabel("Name").fill(`agents spec ${suffix}`);
  await form.getByLabel("Role").selectOption("admin");
  await form.getByRole("button", { name: "Create token" }).click();
  token = (await page.getByTestId("new-token").textContent())!.trim();
  const created = await page.request.post("/api/v1/clusters", { headers: auth(), data: { name: clusterName } });
  clusterId = ((await created.json()) as { id: string }).id;
  // The webhook, as an admin adds it: only the agent events, to a receiver on loopback.
  await page.goto(`/clusters/${clusterId}/settings`);
  const webhook = page.getByRole("form", { name: "Add webhook" });
  await webhook.getByLabel("Endpoint URL").fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`);
  for (const label of ["Certificate issued", "Certificate revoked", /Certificate expiring/, "CA rotation steps"])
    await webhook.getByLabel(label).uncheck();
  await webhook.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_/);
  await context.close();
});

test.afterAll(async () => {
  await running?.stop();
  await Promise.all(Object.values(nodes).map((node) => node.pg.stop()));
  await new Promise((resolve) => receiver?.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

test("node page, nodes table and metrics show issued / installed / served; the stopped agent turns stale and agent.stale fires once", async ({
  page,
  request,
  baseURL,
}) => {
  test.setTimeout(240_000);
  // The running agent polls from its enrollment on: silent for 6 s while the other node starts, it would be stale too.
  nodes.running = await nodeWithAgent(request, baseURL!, `pg-a-${suffix}.agents.internal`, 2);
  running = startAgent(["--config", nodes.running.config]);
  nodes.stopped = await nodeWithAgent(request, baseURL!, `pg-b-${suffix}.agents.internal`, 1);
  const plain = await request.post(`/api/v1/clusters/${clusterName}/nodes`, {
    headers: auth(),
    data: { hostname: `pg-c-${suffix}.agents.internal`, role: "replica" },
  });
  expect(plain.status()).toBe(201);

  // The node page of the running agent: its key was made on the node, and what is issued is installed and served.
  await page.goto(`/clusters/${clusterId}/nodes/${nodes.running.id}`);
  const card = page.getByRole("region", { name: "Agent" });
  await expect(card.getByText("current", { exact: true })).toBeVisible();
  const fact = (term: string) => card.locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");
  await expect(fact("Issued")).toHaveText(nodes.running.serial);
  await expect(fact("Installed")).toHaveText(nodes.running.serial);
  await expect(fact("Served")).toHaveText(nodes.running.serial);
  await expect(fact("Last seen")).toContainText(/polls every 2 s/);
  await expect(fact("CRL")).toContainText(/installed no\. (\d+) of current no\. \1/);
  await expect(fact("Last install")).toContainText("succeeded");
  await expect(fact("Version")).toHaveText(/^\d+\.\d+\.\d+$/);

  // The nodes table: current for the running agent, stale for the stopped one after three
  // of its 1-second polls, "no agent" for the node without one.
  const rowOf = (hostname: string) => page.getByRole("row", { name: new RegExp(hostname.replace(/\./g, "\\.")) });
  await expect(async () => {
    await page.goto(`/clusters/${clusterId}`);
    await expect(rowOf(nodes.running.hostname).getByTestId("on-node")).toHaveText("current");
    await expect(rowOf(nodes.stopped.hostname).getByTestId("on-node")).toHaveText("stale");
    await expect(rowOf(`pg-c-${suffix}.agents.internal`).getByTestId("on-node")).toHaveText("no agent");
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("columnheader", { name: "On node" })).toBeVisible();

  // /api/metrics: per node, last seen, installed-is-current and the installed CRL's nextUpdate.
  const metrics = await (await request.get("/api/metrics", { headers: auth() })).text();
  const gauge = (name: string, node: Node) =>
    new RegExp(`^${name}\\{cluster="${clusterName}",node="${node.hostname.replace(/\./g, "\\.")}"\\} (\\d+(?:\\.\\d+)?)$`, "m").exec(
      metrics,
    )?.[1];
  expect(gauge("cluster_tls_agent_installed_current", nodes.running)).toBe("1");
  expect(gauge("cluster_tls_agent_installed_current", nodes.stopped)).toBe("1"); // stale, yet what it installed was current
  for (const node of [nodes.running, nodes.stopped]) {
    expect(Number(gauge("cluster_tls_agent_last_seen_timestamp_seconds", node))).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(Number(gauge("cluster_tls_agent_crl_next_update_timestamp_seconds", node))).toBeGreaterThan(Date.now() / 1000);
  }
  expect(metrics).not.toContain(`node="pg-c-${suffix}.agents.internal"`);

  // agent.stale for the stopped agent reaches the receiver; it is not sent again while the
  // silence lasts (the job is offered every 5 s), and the running agent never goes stale.
  await expect.poll(() => received.filter((e) => e.event === "agent.stale").length, { timeout: 40_000 }).toBe(1);
  await page.waitForTimeout(15_000);
  expect(received.filter((e) => e.event === "agent.stale").map((e) => e.data.hostname)).toEqual([nodes.stopped.hostname]);
  await page.goto(`/clusters/${clusterId}/nodes/${nodes.stopped.id}`);
  await expect(page.getByRole("region", { name: "Agent" }).getByText("stale", { exact: true })).toBeVisible();
});

test("a reload that does not take shows as failed on the node page with PostgreSQL's reason, and agent.install_failed fires once", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const node = nodes.running;
  await running?.stop();
  running = null;
  // The next reload finds the key group-readable once: PostgreSQL keeps the old certificate.
  const marker = path.join(dir, "spoiled-once");
  const key = path.join(node.pg.dataDir, "server.key");
  const pgCtl = `runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D ${node.pg.dataDir} reload -s`;
  editConfig(node.config, {
    reload: `command:if [ ! -e ${marker} ]; then touch ${marker}; chmod 0644 ${key}; fi; ${pgCtl}`,
    proveTimeoutSeconds: 3,
    intervalSeconds: 60,
  });
  const reissued = await request.post(`/api/v1/nodes/${node.id}/reissue`, { headers: auth(), data: {} });
  expect(reissued.ok(), await reissued.text()).toBe(true);
  const once = await runAgent(["once", "--config", node.config]);
  expect(once.code, once.output).toBe(1);
  expect(once.output).toMatch(/rolled back to the previous files/);

  await page.goto(`/clusters/${clusterId}/nodes/${node.id}`);
  const card = page.getByRole("region", { name: "Agent" });
  await expect(card.getByText("failed", { exact: true })).toBeVisible();
  await expect(card.getByTestId("agent-error")).toContainText(/private key file ".*server\.key" has group or world access/);
  await expect.poll(() => received.filter((e) => e.event === "agent.install_failed").length, { timeout: 30_000 }).toBe(1);
  expect(received.find((e) => e.event === "agent.install_failed")!.data.hostname).toBe(node.hostname);

  // The next poll installs it (the key is 0600 again): current, and no second event.
  const again = await runAgent(["once", "--config", node.config]);
  expect(again.code, again.output).toBe(0);
  await page.reload();
  await expect(card.getByText("current", { exact: true })).toBeVisible();
  await page.waitForTimeout(3_000);
  expect(received.filter((e) => e.event === "agent.install_failed")).toHaveLength(1);
});

test("Disconnect names the node, says a Re-issue is needed, and the agent's credential stops working", async ({ page }) => {
  await page.goto(`/clusters/${clusterId}/nodes/${nodes.stopped.id}`);
  const card = page.getByRole("region", { name: "Agent" });
  await card.getByRole("button", { name: "Disconnect" }).click();
  const dialog = page.getByRole("dialog", { name: `Disconnect the agent of ${nodes.stopped.hostname}?` });
  await expect(dialog).toContainText("Re-issue");
  await dialog.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByText(`Disconnected the agent of ${nodes.stopped.hostname}; Re-issue to manage it from here again`)).toBeVisible();
  await expect(card.getByRole("button", { name: "Connect agent" })).toBeVisible();
  const once = await runAgent(["once", "--config", nodes.stopped.config]);
  expect(once.code).not.toBe(0);
  expect(once.output).toMatch(/unknown node credential/);
});
