import { describe, expect, it } from "vitest";
import type { NodeRole } from "@/lib/db/schema/enums";
import { roleBundleFiles, type BundleTopology } from "./server-bundle-files";

const base: BundleTopology = {
  clusterName: "orders-prod",
  hostname: "db1.orders.internal",
  role: "primary",
  dataDirectory: "/var/lib/postgresql/15/main",
  osOwner: "postgres",
  replicationUser: "replicator",
  hbaAuthMode: "cert",
  withServerKey: true,
  primaryHost: "db1.orders.internal",
  primaryPort: 5433,
  withPgbouncer: false,
  pooledUsers: ["app", "reporting"],
  nodeClient: null,
};
const nodeClient = (file: "replication" | "pgbouncer-client") => ({ file, certificatePem: "CERT", privateKeyPem: "KEY" });
const files = (t: Partial<BundleTopology>) => roleBundleFiles({ ...base, ...t });
const names = (t: Partial<BundleTopology>) =>
  files(t)
    .map((f) => f.name)
    .sort();
const text = (t: Partial<BundleTopology>, name: string) => String(files(t).find((f) => f.name === name)?.data);

describe("server bundle files by role", () => {
  it.each<[NodeRole, Partial<BundleTopology>, string[]]>([
    ["primary", {}, ["install.sh", "pg_hba.conf.snippet", "postgresql.conf.snippet"]],
    [
      "replica",
      { nodeClient: nodeClient("replication") },
      ["install.sh", "pg_hba.conf.snippet", "postgresql.conf.snippet", "replication.crt", "replication.key"],
    ],
    [
      "pgbouncer",
      { nodeClient: nodeClient("pgbouncer-client") },
      ["install.sh", "pg_ident.conf.snippet", "pgbouncer-client.crt", "pgbouncer-client.key", "pgbouncer.ini.snippet"],
    ],
    ["pgpool", {}, ["install.sh", "pgpool.conf.snippet", "pool_hba.conf.snippet"]],
  ])("%s gets what runs on it", (role, extra, expected) => {
    expect(names({ role, ...extra })).toEqual(expected);
  });

  it("keeps node keys 0600 in the zip and installs them 0600", () => {
    const replica = files({ role: "replica", nodeClient: nodeClient("replication") });
    expect(replica.find((f) => f.name === "replication.key")?.mode).toBe(0o600);
    const install = String(replica.find((f) => f.name === "install.sh")?.data);
    expect(install).toContain('install -m 0600 -o "$OWNER" "$HERE/replication.key" "$TARGET/replication.key"');
    expect(install).toContain('install -m 0600 -o "$OWNER" "$HERE/server.key" "$TARGET/server.key"');
  });

  it("leaves a CSR-keyed node's own server.key alone", () => {
    const install = text({ withServerKey: false }, "install.sh");
    expect(install).not.toContain("server.key");
    expect(install).toContain('"$HERE/server.crt" "$TARGET/server.crt"');
  });

  it("points a replica at the primary's host and port, verify-full, with its replication certificate", () => {
    expect(text({ role: "replica", nodeClient: nodeClient("replication") }, "postgresql.conf.snippet")).toContain(
      "primary_conninfo = 'host=db1.orders.internal port=5433 user=replicator sslmode=verify-full sslrootcert=root.crt sslcert=replication.crt sslkey=replication.key application_name=db1.orders.internal'",
    );
    expect(text({ role: "replica", primaryHost: null }, "postgresql.conf.snippet")).toContain("host=PRIMARY_HOST");
  });

  it("writes pg_hba in the cluster's authentication mode, with hostnossl reject, and the pg_ident map when PgBouncer is there", () => {
    expect(text({ hbaAuthMode: "scram-cert" }, "pg_hba.conf.snippet")).toMatch(
      /hostssl\s+all\s+all\s+0\.0\.0\.0\/0\s+scram-sha-256 clientcert=verify-full\n/,
    );
    expect(text({ hbaAuthMode: "scram" }, "pg_hba.conf.snippet")).toMatch(/hostssl\s+all\s+all\s+0\.0\.0\.0\/0\s+scram-sha-256\n/);
    expect(text({}, "pg_hba.conf.snippet")).toMatch(/hostnossl all\s+all\s+0\.0\.0\.0\/0\s+reject/);
    // "all" does not cover replication connections in pg_hba: plaintext replication needs its own reject.
    expect(text({}, "pg_hba.conf.snippet")).toMatch(/hostnossl replication all\s+0\.0\.0\.0\/0\s+reject/);
    const pooled = text({ withPgbouncer: true }, "pg_hba.conf.snippet");
    expect(pooled).toMatch(/hostssl\s+all\s+all\s+0\.0\.0\.0\/0\s+cert map=cluster_tls/);
    expect(pooled).toMatch(/hostssl\s+replication\s+replicator\s+0\.0\.0\.0\/0\s+cert map=cluster_tls/);
    expect(text({ withPgbouncer: true }, "pg_ident.conf.snippet")).toMatch(
      /cluster_tls\s+\/\^\(\.\*\)\$\s+\\1\ncluster_tls\s+pgbouncer\s+app\ncluster_tls\s+pgbouncer\s+reporting/,
    );
    expect(names({ withPgbouncer: true })).toContain("pg_ident.conf.snippet");
  });

  it("says plainly in pgpool.conf what pgpool-II cannot do", () => {
    expect(text({ role: "pgpool" }, "pgpool.conf.snippet")).toContain("cannot present a client certificate to PostgreSQL");
    expect(text({ role: "pgpool" }, "pool_hba.conf.snippet")).toMatch(/hostssl\s+all\s+all\s+0\.0\.0\.0\/0\s+cert/);
  });
});
