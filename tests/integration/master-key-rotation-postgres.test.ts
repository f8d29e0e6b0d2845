import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { envelopeKeyId } from "@/lib/secrets/envelope";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { KEY_ROTATION_STARTED } from "@/lib/services/secrets/read-key-rotations";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { apiClient, waitFor, type Api } from "@/tests/support/api-client";
import { startWriters, type Writers } from "@/tests/support/api-writers";
import { appFleet } from "@/tests/support/app-fleet";
import type { AppProcess } from "@/tests/support/app-process";
import { runCli, runCliAsync } from "@/tests/support/run-cli";

/**
 * `master-key rotate` with DATABASE_URL, while API clients keep writing. The CLI can open
 * PostgreSQL itself, but the servers must end up with the new key in memory without a restart.
 */
const NODES = 6;
const WRITERS = 3;

let root: string;
let pg: PostgresServer;
const fleet = appFleet();
const running = new Set<Writers>();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-rotate-pg-"));
  pg = await startPostgres({ databases: ["single", "multi"] });
});
afterAll(async () => {
  await Promise.all([...running].map((w) => w.stop()));
  await fleet.stopAll();
  await pg?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const dirOf = (name: string) => path.join(root, name);
const envFor = (name: string, db: string) => ({ CLUSTER_TLS_DATA_DIR: dirOf(name), DATABASE_URL: pg.url.replace(/\/postgres$/, `/${db}`) });
const keyIn = (file: string) => parseMasterKey(fs.readFileSync(file, "utf8"), file);
const keyOf = (name: string) => keyIn(path.join(dirOf(name), "master.key"));

function writersOn(api: Api, nodeIds: string[]): Writers {
  const writers = startWriters(api, { cluster: "load", nodeIds, writers: WRITERS, nodeBundles: true });
  running.add(writers);
  return writers;
}

/** An admin token (the CLI opens PostgreSQL itself for this) and a cluster with NODES nodes. */
async function seed(env: Record<string, string>, api: (token: string) => Api) {
  const created = runCli(["token", "create", "--role", "admin", "--days", "1", "--name", "load"], { env });
  expect(created.status, created.stderr).toBe(0);
  const client = api(created.stdout);
  await client("/clusters", { method: "POST", body: { name: "load" } });
  const nodeIds: string[] = [];
  for (let i = 0; i < NODES; i++) {
    nodeIds.push(
      (
        await (
          await client("/clusters/load/nodes", {
            method: "POST",
            body: { hostname: `db${i}.load.internal`, role: i === 0 ? "primary" : "replica" },
          })
        ).json()
      ).id,
    );
  }
  return { token: created.stdout, nodeIds };
}

/** The master key id of every secret stored in `db`. */
function storedKeyIds(db: string): string[] {
  const rows = pg.psql(
    `SELECT encrypted_private_key FROM certificate_authorities
     UNION ALL SELECT encrypted_private_key FROM ca_requests
     UNION ALL SELECT encrypted_private_key FROM certificates WHERE encrypted_private_key IS NOT NULL
     UNION ALL SELECT encrypted_secret FROM webhooks`,
    { db },
  );
  return rows
    .split("\n")
    .filter(Boolean)
    .map((envelope) => envelopeKeyId(envelope) ?? "not an envelope");
}

/** The app_instances name of the server of a data dir (`${hostname}:${pid}`; its server.json has the pid). */
const instanceOf = (name: string) =>
  `${os.hostname()}:${(JSON.parse(fs.readFileSync(path.join(dirOf(name), "server.json"), "utf8")) as { pid: number }).pid}`;
/** The key ids a server's last heartbeat listed. */
const heartbeatKeys = (db: string, instance: string) =>
  pg.psql(`SELECT array_to_string(key_ids, ',') FROM app_instances WHERE instance = '${instance}'`, { db });

/** The server's error lines, as the message of a failed expectation. */
const errorsIn = (app: AppProcess) =>
  app
    .output()
    .split("\n")
    .filter((line) => /error|fail/i.test(line))
    .join("\n");

/** A re-issue and a bundle with the node's private key, on a server nobody restarted. */
async function expectStillIssues(api: Api, nodeId: string) {
  await api(`/nodes/${nodeId}/reissue`, { method: "POST", body: {} });
  await api(`/nodes/${nodeId}/bundle`);
}

describe("master-key rotate on PostgreSQL while servers write", () => {
  it("one server on this host: the CLI goes through it, so it switches its own key in place", async () => {
    const started = Date.now();
    const env = envFor("single", "single");
    const app = await fleet.start(env);
    const { token, nodeIds } = await seed(env, (t) => apiClient(app, t));
    const api = apiClient(app, token);
    const oldKey = keyOf("single");

    const writers = writersOn(api, nodeIds);
    await waitFor(() => writers.issued.length >= 5 || writers.failures.length > 0, "the writers to get going");
    const before = writers.issued.length;
    const rotate = await runCliAsync(["master-key", "rotate"], { env, timeoutMs: 60_000 });
    const during = writers.issued.length - before;
    await new Promise((resolve) => setTimeout(resolve, 500)); // and writes carry on after it
    await writers.stop();
    expect(rotate.status, rotate.stderr).toBe(0);
    expect(writers.failures, errorsIn(app)).toEqual([]);
    expect(during).toBeGreaterThan(0);

    const newKey = keyOf("single");
    expect(newKey.id).not.toBe(oldKey.id);
    expect(storedKeyIds("single").filter((id) => id !== newKey.id)).toEqual([]);
    await expectStillIssues(api, nodeIds[0]!);
    console.log(
      `[rotate-pg] one server: ${writers.issued.length} writes (${during} during the rotation), ${writers.bundlesRead()} node bundles, ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 90_000);

  it("two instances with their own data dirs: --prepare; rotate refuses while B lacks master.key.next; copy it, rotate; both follow without a restart", async () => {
    const started = Date.now();
    const [envA, envB] = [envFor("a", "multi"), envFor("b", "multi")];
    const a = await fleet.start(envA);
    fs.mkdirSync(dirOf("b"));
    fs.copyFileSync(path.join(dirOf("a"), "master.key"), path.join(dirOf("b"), "master.key"));
    const b = await fleet.start(envB);
    const { token, nodeIds } = await seed(envA, (t) => apiClient(a, t));
    const [apiA, apiB] = [apiClient(a, token), apiClient(b, token)];
    const oldKey = keyOf("a");
    const [onA, onB] = [writersOn(apiA, nodeIds), writersOn(apiB, nodeIds)];
    await waitFor(
      () => (onA.issued.length >= 5 && onB.issued.length >= 5) || onA.failures.length + onB.failures.length > 0,
      "the writers to get going",
    );

    const prepare = await runCliAsync(["master-key", "rotate", "--prepare"], { env: envA });
    expect(prepare.status, prepare.stderr).toBe(0);
    const prepared = path.join(dirOf("a"), "master.key.next");
    const next = keyIn(prepared);
    expect(prepare.stderr).toContain(`prepared master key ${next.id} in ${prepared}`);
    expect(fs.statSync(prepared).mode & 0o777).toBe(0o600);
    expect(keyOf("a").id).toBe(oldKey.id);
    expect(new Set(storedKeyIds("multi"))).toEqual(new Set([oldKey.id])); // nothing re-encrypted yet
    const adopted = (app: AppProcess, file: string) => app.output().includes(`master key ${next.id} from ${file} adopted`);
    await waitFor(() => adopted(a, prepared), "A to adopt its prepared key", 10_000);

    // B was not given the key yet: rotate refuses, naming B, before it switches or writes anything.
    const [instanceA, instanceB] = [instanceOf("a"), instanceOf("b")];
    const refused = await runCliAsync(["master-key", "rotate"], { env: envA, timeoutMs: 60_000 });
    expect(refused.status, refused.stderr).not.toBe(0);
    expect(refused.stderr).toContain(`do not hold master key ${next.id} yet: ${instanceB} (holds ${oldKey.id})`);
    expect(refused.stderr).toContain("Copy master.key.next");
    expect(refused.stderr).not.toContain(instanceA); // the server the CLI went through rotates itself
    expect(pg.psql(`SELECT count(*) FROM audit_events WHERE action = '${KEY_ROTATION_STARTED}'`, { db: "multi" })).toBe("0");
    expect(new Set(storedKeyIds("multi"))).toEqual(new Set([oldKey.id]));
    expect(keyOf("a").id).toBe(oldKey.id);
    expect(keyIn(prepared).id).toBe(next.id);
    await expectStillIssues(apiA, nodeIds[4]!);
    await expectStillIssues(apiB, nodeIds[5]!);

    // B: a file that is no key is reported and ignored; the real one (copied over it) is adopted.
    const copy = path.join(dirOf("b"), "master.key.next");
    fs.writeFileSync(copy, "not a key\n", { mode: 0o600 });
    await waitFor(() => b.output().includes("ignoring master.key.next"), "B to report the malformed file", 10_000);
    fs.copyFileSync(prepared, copy);
    // C is stopped during the rotation; its data dir gets the key all the same.
    fs.mkdirSync(dirOf("c"));
    for (const file of ["master.key", "master.key.next"]) fs.copyFileSync(path.join(dirOf("a"), file), path.join(dirOf("c"), file));
    await waitFor(() => adopted(b, copy), "B to adopt the prepared key", 10_000);
    // The adoption beats at once rather than at the next 10 s heartbeat.
    await waitFor(() => heartbeatKeys("multi", instanceB).includes(next.id), "B's heartbeat to list the key", 5_000);

    const [beforeA, beforeB] = [onA.issued.length, onB.issued.length];
    const rotate = await runCliAsync(["master-key", "rotate"], { env: envA, timeoutMs: 60_000 });
    const [duringA, duringB] = [onA.issued.length - beforeA, onB.issued.length - beforeB];
    await new Promise((resolve) => setTimeout(resolve, 500)); // and writes carry on after it
    await Promise.all([onA.stop(), onB.stop()]);
    expect(rotate.status, rotate.stderr).toBe(0);
    expect(onA.failures, errorsIn(a)).toEqual([]);
    expect(onB.failures, errorsIn(b)).toEqual([]);
    expect(duringA).toBeGreaterThan(0);
    expect(duringB).toBeGreaterThan(0);

    expect(rotate.stderr).toContain(`under master key ${next.id} (prepared in ${prepared})`);
    expect(keyOf("a").id).toBe(next.id);
    expect(fs.existsSync(prepared)).toBe(false);
    expect(storedKeyIds("multi").filter((id) => id !== next.id)).toEqual([]);
    await waitFor(() => b.output().includes(`master key rotation to ${next.id} finished`), "B to drop the old key", 10_000);
    expect(b.output()).toContain(`master key rotation to ${next.id} started`);
    expect(keyOf("b").id).toBe(next.id); // B's master.key.next became its master.key
    expect(fs.existsSync(copy)).toBe(false);
    await expectStillIssues(apiA, nodeIds[0]!);
    await expectStillIssues(apiB, nodeIds[1]!);

    // B restarted later, and C started only now (its master.key.next is promoted at start-up): both serve.
    expect(await fleet.stop(b), b.output()).toBe(0);
    expect(heartbeatKeys("multi", instanceB)).toBe(""); // a clean stop deletes its row
    const restarted = await fleet.start(envB);
    await expectStillIssues(apiClient(restarted, token), nodeIds[2]!);
    const c = await fleet.start(envFor("c", "multi"));
    expect(keyOf("c").id).toBe(next.id);
    expect(fs.existsSync(path.join(dirOf("c"), "master.key.next"))).toBe(false);
    await expectStillIssues(apiClient(c, token), nodeIds[3]!);
    console.log(
      `[rotate-pg] two instances: A ${onA.issued.length} writes (${duringA} during the rotation), B ${onB.issued.length} (${duringB}), ` +
        `node bundles ${onA.bundlesRead()} + ${onB.bundlesRead()}, ${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 90_000);
});
