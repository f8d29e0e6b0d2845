import type { HbaAuthMode } from "@/lib/db/schema/enums";

/** The pg_ident map every cluster-tls pg_hba line uses when a PgBouncer authenticates by certificate. */
const CERT_MAP = "cluster_tls";
/** CN of the client certificate a PgBouncer node presents to PostgreSQL. */
export const PGBOUNCER_CLIENT_CN = "pgbouncer";

const HBA_METHOD: Record<HbaAuthMode, string> = {
  cert: "cert",
  "scram-cert": "scram-sha-256 clientcert=verify-full",
  scram: "scram-sha-256",
};

/**
 * postgresql.conf lines; file names are relative to the data directory, where install.sh puts
 * them. A replica also gets primary_conninfo: walreceiver runs in the data directory, so the
 * relative sslcert/sslkey/sslrootcert paths resolve there too.
 */
export function postgresqlConf({ primaryConninfo }: { primaryConninfo?: string } = {}): string {
  const replica = primaryConninfo
    ? `# Streaming replication authenticated by certificate (with an empty standby.signal in the data directory)
primary_conninfo = '${primaryConninfo}'
`
    : "";
  return `# cluster-tls: TLS for this node (reload PostgreSQL after changing)
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_ca_file = 'root.crt'
ssl_crl_file = 'root.crl'
ssl_min_protocol_version = 'TLSv1.2'
${replica}`;
}

/** libpq conninfo for a replica: certificate login as the replication user, verify-full to the primary. */
export function replicaConninfo({
  primaryHost,
  port,
  replicationUser,
  applicationName,
}: {
  primaryHost: string;
  port: number;
  replicationUser: string;
  applicationName: string;
}): string {
  return `host=${primaryHost} port=${port} user=${replicationUser} sslmode=verify-full sslrootcert=root.crt sslcert=replication.crt sslkey=replication.key application_name=${applicationName.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
}

type HbaParams = { replicationUser: string; hbaAuthMode: HbaAuthMode; withPgbouncer: boolean };

/**
 * pg_hba.conf: TLS-only logins in the cluster's authentication mode, replication too, and
 * hostnossl … reject so nothing falls back to plaintext. With a PgBouncer in the cluster the
 * certificate checks go through the pg_ident map (which keeps "CN = role" for everyone else).
 */
export function pgHbaConf({ replicationUser, hbaAuthMode, withPgbouncer }: HbaParams): string {
  const usesCertificate = hbaAuthMode !== "scram";
  const method = `${HBA_METHOD[hbaAuthMode]}${withPgbouncer && usesCertificate ? ` map=${CERT_MAP}` : ""}`;
  // Replication always logs in by certificate (the replica's bundle carries one).
  const replication = withPgbouncer ? `cert map=${CERT_MAP}` : "cert";
  return `# cluster-tls: put these before other host/hostssl lines (first match wins)
# TYPE   DATABASE     USER              ADDRESS       METHOD
hostssl  replication  ${replicationUser.padEnd(16)}  0.0.0.0/0     ${replication}
hostssl  replication  ${replicationUser.padEnd(16)}  ::/0          ${replication}
hostssl  all          all               0.0.0.0/0     ${method}
hostssl  all          all               ::/0          ${method}
# Refuse anything not encrypted, so a client or pooler can never fall back to plaintext.
# ("all" does not match replication connections: they get their own lines.)
hostnossl replication all               0.0.0.0/0     reject
hostnossl replication all               ::/0          reject
hostnossl all         all               0.0.0.0/0     reject
hostnossl all         all               ::/0          reject
`;
}

/**
 * pg_ident.conf for a cluster with PgBouncer: every certificate still logs in as its own CN
 * (the regex line), and PgBouncer's certificate may log in as each pooled role (PostgreSQL 15
 * has no "all" in pg_ident, so the roles are listed).
 */
export function pgIdentConf({ pooledUsers }: { pooledUsers: string[] }): string {
  const pooled = pooledUsers.length
    ? pooledUsers.map((user) => `${CERT_MAP.padEnd(12)} ${PGBOUNCER_CLIENT_CN.padEnd(16)} ${user}`).join("\n")
    : `# ${CERT_MAP} ${PGBOUNCER_CLIENT_CN} ROLE   <- add one line per role PgBouncer pools`;
  return `# cluster-tls: certificate name → PostgreSQL role (reload PostgreSQL after changing)
# MAPNAME    SYSTEM-USERNAME  PG-USERNAME
${CERT_MAP.padEnd(12)} /^(.*)$          \\1
${pooled}
`;
}

/** PgBouncer with TLS on both sides; its own certificate authenticates it to PostgreSQL. */
export function pgbouncerIni({ clusterName, pooledUsers }: { clusterName: string; pooledUsers: string[] }): string {
  return `; cluster-tls: PgBouncer TLS on both sides for ${clusterName}. install.sh puts the files in /etc/pgbouncer.
[pgbouncer]
; Clients: TLS required, the client certificate is the login (CN = role).
auth_type = cert
client_tls_sslmode = verify-full
client_tls_cert_file = /etc/pgbouncer/server.crt
client_tls_key_file = /etc/pgbouncer/server.key
client_tls_ca_file = /etc/pgbouncer/root.crt
; PostgreSQL: verify-full (the backend's name must be in its certificate), and log in with
; PgBouncer's own certificate (CN=${PGBOUNCER_CLIENT_CN}), mapped in pg_ident.conf on the PostgreSQL nodes.
server_tls_sslmode = verify-full
server_tls_ca_file = /etc/pgbouncer/root.crt
server_tls_cert_file = /etc/pgbouncer/pgbouncer-client.crt
server_tls_key_file = /etc/pgbouncer/pgbouncer-client.key
; PgBouncer 1.18 has no CRL setting: it accepts a revoked client certificate until it expires.
; Keep client lifetimes short behind PgBouncer, and remove a revoked role from userlist.txt.
; Roles must still be listed in auth_file with cert auth (any password string).
auth_file = /etc/pgbouncer/userlist.txt
; pgJDBC sends extra_float_digits at start-up.
ignore_startup_parameters = extra_float_digits
; userlist.txt:
${pooledUsers.length ? pooledUsers.map((u) => `;   "${u}" ""`).join("\n") : ';   "ROLE" ""'}
`;
}

/** pgpool-II: TLS towards clients; towards PostgreSQL it can only use passwords (see the README). */
export function pgpoolConf(): string {
  return `# cluster-tls: pgpool-II client-side TLS. install.sh puts the files in /etc/pgpool2.
# pgpool-II cannot present a client certificate to PostgreSQL and does not check the backend's
# host name: keep hostssl-only rules (hostnossl … reject) on every backend so it can never fall
# back to plaintext, and authenticate it to PostgreSQL with scram-sha-256 (pool_passwd).
ssl = on
ssl_cert = '/etc/pgpool2/server.crt'
ssl_key = '/etc/pgpool2/server.key'
ssl_ca_cert = '/etc/pgpool2/root.crt'
ssl_crl_file = '/etc/pgpool2/root.crl'
enable_pool_hba = on
pool_passwd = 'pool_passwd'
`;
}

/** pool_hba.conf: clients reach pgpool-II over TLS only, with their certificate as the login. */
export function poolHbaConf(): string {
  return `# cluster-tls: pgpool-II client authentication (pool_hba.conf)
# TYPE   DATABASE  USER  ADDRESS     METHOD
hostssl  all       all   0.0.0.0/0   cert
hostssl  all       all   ::/0        cert
local    all       all               scram-sha-256
`;
}

type InstallFile = { name: string; mode: "0600" | "0644" };
type InstallParams = { hostname: string; targetDir: string; owner: string; files: InstallFile[]; reload: string; usage: string };

/** install.sh: copies the bundle's files into place with the modes the server requires, then reloads it. */
export function installScript({ hostname, targetDir, owner, files, reload, usage }: InstallParams): string {
  const copies = files.map((f) => `install -m ${f.mode} -o "$OWNER" "$HERE/${f.name}" "$TARGET/${f.name}"`).join("\n");
  return `#!/bin/sh
# cluster-tls: install the TLS files of ${hostname}.
# Usage: sudo ./install.sh ${usage}
set -eu
TARGET="\${1:-${targetDir}}"
OWNER="\${2:-${owner}}"
HERE="$(cd "$(dirname "$0")" && pwd)"
[ -d "$TARGET" ] || { echo "install.sh: $TARGET is not a directory" >&2; exit 1; }
# Private keys are 0600: PostgreSQL (and libpq) refuse a key that group or others can read.
${copies}
echo "Installed into $TARGET. Merge the .snippet files into the configuration if not done yet."
${reload}
`;
}

/** How install.sh reloads PostgreSQL after copying into its data directory. */
export const RELOAD_POSTGRESQL = `if command -v pg_ctl >/dev/null 2>&1; then
  su "$OWNER" -s /bin/sh -c "pg_ctl reload -D '$TARGET'" && exit 0
fi
if command -v systemctl >/dev/null 2>&1; then systemctl reload postgresql && exit 0; fi
echo "Reload PostgreSQL to use the new files (SELECT pg_reload_conf();)."`;

export const RELOAD_PGBOUNCER = `if command -v systemctl >/dev/null 2>&1 && systemctl reload pgbouncer 2>/dev/null; then exit 0; fi
pkill -HUP -x pgbouncer && exit 0
echo "Reload PgBouncer (RELOAD; on its admin console) to use the new files."`;

export const RELOAD_PGPOOL = `echo "Restart pgpool-II (pgpool reads its TLS files at start-up): systemctl restart pgpool2"`;
