import type { HbaAuthMode, NodeRole } from "@/lib/db/schema/enums";
import {
  installScript,
  pgbouncerIni,
  pgHbaConf,
  pgIdentConf,
  pgpoolConf,
  poolHbaConf,
  postgresqlConf,
  RELOAD_PGBOUNCER,
  RELOAD_PGPOOL,
  RELOAD_POSTGRESQL,
  replicaConninfo,
} from "./server-snippets";
import type { BundleFile } from "./zip";

export type BundleTopology = {
  clusterName: string;
  hostname: string;
  role: NodeRole;
  dataDirectory: string;
  osOwner: string;
  replicationUser: string;
  hbaAuthMode: HbaAuthMode;
  /** False when the node made its own key (CSR): install.sh then leaves the server.key in place alone. */
  withServerKey: boolean;
  /** Where a replica streams from (the primary node, else the cluster's first shared name). */
  primaryHost: string | null;
  primaryPort: number;
  /** Whether the cluster has a PgBouncer node: PostgreSQL then maps its certificate in pg_ident. */
  withPgbouncer: boolean;
  /** Roles PgBouncer may log in as (granted and issued database users). */
  pooledUsers: string[];
  /** A replica's replication certificate or PgBouncer's backend certificate, named by `file`. */
  nodeClient: { file: "replication" | "pgbouncer-client"; certificatePem: string; privateKeyPem: string } | null;
};

const KEY = "0600" as const;
const PUBLIC = "0644" as const;

/**
 * The role-specific part of a server bundle: install.sh and the configuration snippets for
 * what runs on the node (PostgreSQL, PgBouncer or pgpool-II), plus the node's own client
 * certificate where it needs one. The common files (server.crt/.key, root.crt/.crl, README)
 * come from the caller.
 */
export function roleBundleFiles(t: BundleTopology): BundleFile[] {
  const clientFiles: BundleFile[] = t.nodeClient
    ? [
        { name: `${t.nodeClient.file}.crt`, data: t.nodeClient.certificatePem },
        { name: `${t.nodeClient.file}.key`, data: t.nodeClient.privateKeyPem, mode: 0o600 },
      ]
    : [];
  const installed = (extra: string[]) => [
    ...["server.crt", "root.crt", "root.crl", ...extra.filter((f) => f.endsWith(".crt"))].map((name) => ({ name, mode: PUBLIC })),
    ...[...(t.withServerKey ? ["server.key"] : []), ...extra.filter((f) => f.endsWith(".key"))].map((name) => ({ name, mode: KEY })),
  ];
  const clientNames = clientFiles.map((f) => f.name);
  const script = (targetDir: string, owner: string, reload: string, usage: string): BundleFile => ({
    name: "install.sh",
    data: installScript({ hostname: t.hostname, targetDir, owner, files: installed(clientNames), reload, usage }),
    mode: 0o755,
  });

  if (t.role === "pgbouncer") {
    return [
      ...clientFiles,
      script("/etc/pgbouncer", "postgres", RELOAD_PGBOUNCER, "[CONFIG_DIR] [OS_OWNER]"),
      { name: "pgbouncer.ini.snippet", data: pgbouncerIni({ clusterName: t.clusterName, pooledUsers: t.pooledUsers }) },
      { name: "pg_ident.conf.snippet", data: pgIdentConf({ pooledUsers: t.pooledUsers }) },
    ];
  }
  if (t.role === "pgpool") {
    return [
      script("/etc/pgpool2", "postgres", RELOAD_PGPOOL, "[CONFIG_DIR] [OS_OWNER]"),
      { name: "pgpool.conf.snippet", data: pgpoolConf() },
      { name: "pool_hba.conf.snippet", data: poolHbaConf() },
    ];
  }
  const primaryConninfo =
    t.role === "replica"
      ? replicaConninfo({
          primaryHost: t.primaryHost ?? "PRIMARY_HOST",
          port: t.primaryPort,
          replicationUser: t.replicationUser,
          applicationName: t.hostname,
        })
      : undefined;
  return [
    ...clientFiles,
    script(t.dataDirectory, t.osOwner, RELOAD_POSTGRESQL, "[DATA_DIRECTORY] [OS_OWNER]"),
    { name: "postgresql.conf.snippet", data: postgresqlConf({ primaryConninfo }) },
    {
      name: "pg_hba.conf.snippet",
      data: pgHbaConf({ replicationUser: t.replicationUser, hbaAuthMode: t.hbaAuthMode, withPgbouncer: t.withPgbouncer }),
    },
    ...(t.withPgbouncer ? [{ name: "pg_ident.conf.snippet", data: pgIdentConf({ pooledUsers: t.pooledUsers }) }] : []),
  ];
}
