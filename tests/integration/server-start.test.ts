import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type PostgresServer } from "@/scripts/test-harness/postgres-server";
import { exitCodeWithin, launchApp, waitForHealth, type AppProcess } from "@/tests/support/app-process";

// The first launch may run `next build` (~30 s on 2 cores); later ones reuse it.
const SLOW = 240_000;

let tempDir: string;
const apps: AppProcess[] = [];
beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-start-"));
});
afterAll(async () => {
  for (const app of apps) await app.stop("SIGKILL");
  fs.rmSync(tempDir, { recursive: true, force: true });
});

async function launch(env: Record<string, string>) {
  const app = await launchApp(env);
  apps.push(app);
  return app;
}

describe("npm start", () => {
  it(
    "serves with the embedded database, refuses a second server on the same data dir, and exits cleanly on SIGTERM",
    async () => {
      const dataDir = path.join(tempDir, "embedded");
      const first = await launch({ CLUSTER_TLS_DATA_DIR: dataDir });
      expect(await waitForHealth(first), first.output()).toBe(200);
      const health = await (await fetch(`${first.url}/api/health`)).json();
      expect(health).toMatchObject({ status: "ok", database: { kind: "pglite", reachable: true } });
      expect(fs.statSync(path.join(dataDir, "master.key")).mode & 0o777).toBe(0o600);

      const second = await launch({ CLUSTER_TLS_DATA_DIR: dataDir });
      expect(await exitCodeWithin(second), second.output()).toBe(1);
      expect(second.output()).toMatch(/cannot start: the embedded database is in use by process \d+/);
      expect((await fetch(`${first.url}/api/health`)).status).toBe(200); // the owner is unharmed

      expect(await first.stop("SIGTERM")).toBe(0);
      expect(first.output()).toContain("SIGTERM: closing the database");
      expect(fs.existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
    },
    SLOW,
  );

  describe("with DATABASE_URL", () => {
    let postgres: PostgresServer;
    beforeAll(async () => {
      postgres = await startPostgres({ databases: ["cluster_tls"] });
    });
    afterAll(async () => postgres?.stop());

    it(
      "migrates a real PostgreSQL server, reports it in /api/health, and answers 503 once it is gone",
      async () => {
        // As a container runs it: secrets from the environment, a data dir that does not exist yet.
        const app = await launch({
          CLUSTER_TLS_DATA_DIR: path.join(tempDir, "with-pg", "data"),
          DATABASE_URL: `postgres://postgres@127.0.0.1:${postgres.port}/cluster_tls`,
          CLUSTER_TLS_MASTER_KEY: Buffer.alloc(32, 5).toString("base64"),
          BETTER_AUTH_SECRET: "a session-signing secret from the environment",
        });
        expect(await waitForHealth(app), app.output()).toBe(200);
        const health = await (await fetch(`${app.url}/api/health`)).json();
        expect(health).toMatchObject({ status: "ok", database: { kind: "postgres", reachable: true } });
        expect(postgres.psql("SELECT count(*) FROM drizzle.__drizzle_migrations", { db: "cluster_tls" })).toMatch(/^[1-9]\d*$/);
        expect(fs.existsSync(path.join(tempDir, "with-pg", "data", "pglite"))).toBe(false);
        expect(fs.statSync(path.join(tempDir, "with-pg", "data")).mode & 0o777).toBe(0o700);

        await postgres.stop();
        const down = await fetch(`${app.url}/api/health`);
        expect(down.status).toBe(503);
        expect(await down.json()).toMatchObject({ status: "unavailable", database: { reachable: false } });
        expect(await app.stop()).toBe(0);
      },
      SLOW,
    );
  });

  it.each([
    ["a malformed master key", { CLUSTER_TLS_MASTER_KEY: "too-short" }, /cannot start: CLUSTER_TLS_MASTER_KEY decodes to \d+ bytes/],
    [
      "an unreachable DATABASE_URL",
      { DATABASE_URL: "postgres://app:hunter2@127.0.0.1:1/none" },
      /cannot start: cannot reach DATABASE_URL \(PostgreSQL at 127\.0\.0\.1:1\/none\)/,
    ],
    [
      "an unwritable data directory",
      { CLUSTER_TLS_DATA_DIR: "/etc/passwd/nested" },
      /cannot start: data directory \/etc\/passwd\/nested is not writable/,
    ],
    [
      "a request limit that is not a number",
      { CLUSTER_TLS_MAX_IN_FLIGHT: "lots" },
      /cannot start: CLUSTER_TLS_MAX_IN_FLIGHT must be a whole number \(0 turns the limit off\), not "lots"/,
    ],
    [
      "an unknown log level",
      { CLUSTER_TLS_LOG_LEVEL: "verbose" },
      /cannot start: CLUSTER_TLS_LOG_LEVEL must be info or debug, not "verbose"/,
    ],
  ])(
    "stops with one clear line for %s",
    async (_name, env, expected) => {
      const app = await launch({ CLUSTER_TLS_DATA_DIR: path.join(tempDir, "bad"), ...env });
      expect(await exitCodeWithin(app), app.output()).toBe(1);
      const problemLines = app
        .output()
        .split("\n")
        .filter((line) => line.includes("cannot start"));
      expect(problemLines).toHaveLength(1);
      expect(problemLines[0]).toMatch(expected);
      expect(app.output()).not.toContain("hunter2");
    },
    SLOW,
  );
});
