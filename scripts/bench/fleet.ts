// The benchmark fleet (1,000 nodes + 10,000 certificates) on either backend: a PGlite data dir
// or a throwaway PostgreSQL 15, seeded through the same Drizzle code the app uses.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import { sql } from "drizzle-orm";
import type { DatabaseConfig } from "@/lib/config";
import { openDatabase, schema } from "@/lib/db";
import { DAY_MS } from "@/lib/format/days";
import { parseMasterKey } from "@/lib/secrets/master-key";
import { createCluster } from "@/lib/services/clusters/create-cluster";
import { createUser } from "@/lib/services/users/create-user";
import { certificateRow } from "@/tests/support/db-fixtures";
import { startPostgres } from "@/scripts/test-harness/postgres-server";

export type Backend = "pglite" | "postgres";
export const BACKEND_LABELS: Record<Backend, string> = { pglite: "PGlite", postgres: "PostgreSQL" };

const NODES = 1_000;
const CLIENTS = 9_000;
export const FLEET_LABEL = "1,000 nodes + 10,000 certificates";
export const ADMIN = { email: "bench@example.com", password: "bench password 123" };
export const MASTER_KEY = Buffer.alloc(32, 9).toString("base64");

export type FleetDatabase = {
  backend: Backend;
  config: DatabaseConfig;
  /** What `npm start` needs to serve this database (data dir for secrets, DATABASE_URL for PostgreSQL). */
  appEnv: Record<string, string>;
  /** Runs SQL as the superuser (PostgreSQL only; PGlite belongs to whichever process opened it). */
  psql?: (query: string) => string;
  /** The PostgreSQL server log (auto_explain writes its plans there). */
  serverLog?: () => string;
  stop: () => Promise<void>;
};

/**
 * A fresh, empty database of the given kind. PostgreSQL gets its stock shared_buffers (128MB,
 * the harness uses 16MB) so the pages are measured against an ordinary server, plus `settings`.
 */
export async function startFleetDatabase(backend: Backend, settings: Record<string, string> = {}): Promise<FleetDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ctls-bench-${backend}-`));
  const appEnv = { CLUSTER_TLS_DATA_DIR: dataDir, CLUSTER_TLS_MASTER_KEY: MASTER_KEY, CLUSTER_TLS_JOBS: "off" };
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (backend === "pglite") {
    return { backend, config: { kind: "pglite", dataDir: path.join(dataDir, "pglite") }, appEnv, stop: async () => removeDataDir() };
  }
  const server = await startPostgres({ databases: ["cluster_tls"], settings: { shared_buffers: "128MB", ...settings } });
  const url = server.url.replace(/\/postgres$/, "/cluster_tls");
  return {
    backend,
    config: { kind: "postgres", url },
    appEnv: { ...appEnv, DATABASE_URL: url },
    psql: (query) => server.psql(query, { db: "cluster_tls" }),
    serverLog: server.logs,
    stop: async () => {
      await server.stop();
      removeDataDir();
    },
  };
}

export type Fleet = { clusterId: string; nodeId: string };

/**
 * Seeds the fleet while no server runs. PostgreSQL is then ANALYZEd, as autovacuum would do within
 * a minute of the inserts; PGlite has no autovacuum, the app analyzes it (lib/db/pglite-autovacuum).
 */
export async function seedFleet(database: FleetDatabase): Promise<Fleet> {
  const key = parseMasterKey(MASTER_KEY, "bench");
  const handle = await openDatabase(database.config);
  try {
    const cli = { type: "cli", label: "bench" } as const;
    await createUser({ db: handle.db, actor: cli, input: { ...ADMIN, name: "Bench", role: "admin" }, hashPassword });
    const cluster = await createCluster(handle.db, cli, key, { name: "fleet-prod" });
    const now = Date.now();
    const nodes = await handle.db
      .insert(schema.nodes)
      .values(
        Array.from({ length: NODES }, (_, i) => ({
          clusterId: cluster.id,
          hostname: `db${i}.fleet.internal`,
          role: i === 0 ? ("primary" as const) : ("replica" as const),
          ipAddresses: [`10.1.${i >> 8}.${i & 255}`],
        })),
      )
      .returning({ id: schema.nodes.id, hostname: schema.nodes.hostname });
    const rows = [
      ...nodes.map((n, i) =>
        certificateRow(cluster.id, {
          nodeId: n.id,
          commonName: n.hostname,
          dnsNames: [n.hostname],
          notBefore: new Date(now - 30 * DAY_MS),
          notAfter: new Date(now + (5 + (i % 397)) * DAY_MS),
        }),
      ),
      ...Array.from({ length: CLIENTS }, (_, i) =>
        certificateRow(cluster.id, {
          kind: "client",
          commonName: `app${i % 300}`,
          databaseUser: `app${i % 300}`,
          notBefore: new Date(now - 30 * DAY_MS),
          notAfter: new Date(now + (1 + (i % 365)) * DAY_MS),
        }),
      ),
    ];
    for (let i = 0; i < rows.length; i += 1_000) await handle.db.insert(schema.certificates).values(rows.slice(i, i + 1_000));
    if (database.backend === "postgres") await handle.db.execute(sql`ANALYZE`);
    return { clusterId: cluster.id, nodeId: nodes[0]!.id };
  } finally {
    await handle.close();
  }
}
