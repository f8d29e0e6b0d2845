import type { HbaAuthMode } from "@/lib/db/schema/enums";

type SnippetParams = { clusterName: string; hostname: string; dataDirectory: string; osOwner: string; replicationUser: string; hbaAuthMode: HbaAuthMode };

/** postgresql.conf lines; file names are relative to the data directory, where install.sh puts them. */
export function postgresqlConf(): string {
  return `# cluster-tls: TLS for this node (reload PostgreSQL after changing)
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_ca_file = 'root.crt'
ssl_crl_file = 'root.crl'
ssl_min_protocol_version = 'TLSv1.2'
`;
}

const HBA_METHOD: Record<HbaAuthMode, string> = {
  cert: "cert",
  "scram-cert": "scram-sha-256 clientcert=verify-full",
  scram: "scram-sha-256",
};

/** pg_hba.conf: TLS-only logins (the certificate CN maps to the user for `cert`), replication too. */
export function pgHbaConf({ replicationUser, hbaAuthMode }: SnippetParams): string {
  const method = HBA_METHOD[hbaAuthMode];
  return `# cluster-tls: put these before other host/hostssl lines (first match wins)
# TYPE   DATABASE     USER              ADDRESS       METHOD
hostssl  replication  ${replicationUser.padEnd(16)}  0.0.0.0/0     ${method}
hostssl  replication  ${replicationUser.padEnd(16)}  ::/0          ${method}
hostssl  all          all               0.0.0.0/0     ${method}
hostssl  all          all               ::/0          ${method}
# Refuse anything not encrypted, so a client or pooler can never fall back to plaintext.
hostnossl all         all               0.0.0.0/0     reject
hostnossl all         all               ::/0          reject
`;
}

export function pgbouncerIni({ clusterName }: SnippetParams): string {
  return `; cluster-tls: PgBouncer TLS on both sides (PgBouncer needs its own client certificate
; for the backend; create one with the client bundle for user "pgbouncer" and map it in pg_ident.conf)
[pgbouncer]
client_tls_sslmode = verify-full
client_tls_cert_file = /etc/pgbouncer/server.crt
client_tls_key_file = /etc/pgbouncer/server.key
client_tls_ca_file = /etc/pgbouncer/root.crt
auth_type = cert
server_tls_sslmode = verify-full
server_tls_ca_file = /etc/pgbouncer/root.crt
server_tls_cert_file = /etc/pgbouncer/pgbouncer-client.crt
server_tls_key_file = /etc/pgbouncer/pgbouncer-client.key
; cluster: ${clusterName}
`;
}

export function pgpoolConf(): string {
  return `# cluster-tls: pgpool-II client-side TLS. pgpool cannot present a client certificate to
# PostgreSQL and does not check the backend's host name: keep hostssl-only rules (hostnossl …
# reject) on every backend so it can never fall back to plaintext.
ssl = on
ssl_cert = '/etc/pgpool2/server.crt'
ssl_key = '/etc/pgpool2/server.key'
ssl_ca_cert = '/etc/pgpool2/root.crt'
enable_pool_hba = on
# pool_hba.conf:
#   hostssl  all  all  0.0.0.0/0  cert
`;
}

/** install.sh: copies the files into the data directory with the modes PostgreSQL requires, then reloads. */
export function installScript({ dataDirectory, osOwner, hostname }: SnippetParams): string {
  return `#!/bin/sh
# cluster-tls: install the TLS files of ${hostname}.
# Usage: sudo ./install.sh [DATA_DIRECTORY] [OS_OWNER]
set -eu
DATA_DIR="\${1:-${dataDirectory}}"
OWNER="\${2:-${osOwner}}"
HERE="$(cd "$(dirname "$0")" && pwd)"
[ -d "$DATA_DIR" ] || { echo "install.sh: $DATA_DIR is not a directory" >&2; exit 1; }
for f in server.crt root.crt root.crl; do
  install -m 0644 -o "$OWNER" "$HERE/$f" "$DATA_DIR/$f"
done
# PostgreSQL refuses a private key that group or others can read.
install -m 0600 -o "$OWNER" "$HERE/server.key" "$DATA_DIR/server.key"
echo "Installed into $DATA_DIR. Add postgresql.conf.snippet and pg_hba.conf.snippet if not done yet."
if command -v pg_ctl >/dev/null 2>&1; then
  su "$OWNER" -s /bin/sh -c "pg_ctl reload -D '$DATA_DIR'" && exit 0
fi
if command -v systemctl >/dev/null 2>&1; then systemctl reload postgresql && exit 0; fi
echo "Reload PostgreSQL to use the new files (SELECT pg_reload_conf();)."
`;
}
