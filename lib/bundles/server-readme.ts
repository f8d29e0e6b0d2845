import type { NodeRole } from "@/lib/db/schema/enums";

type ReadmeParams = {
  hostname: string;
  role: NodeRole;
  clusterName: string;
  serialHex: string;
  notAfter: Date;
  names: string[];
  crlNextUpdate: Date;
  dataDirectory: string;
  primaryHost: string | null;
  withPgbouncer: boolean;
  withServerKey: boolean;
  /** The node's own client certificate is not in the bundle: none with a stored key exists yet. */
  missingNodeClient?: "replication" | "pgbouncer-client" | null;
};

const POSTGRES_STEPS = (
  p: ReadmeParams,
) => `1. \`sudo ./install.sh ${p.dataDirectory}\` copies the files into the data directory (keys 0600, owned by the OS owner) and reloads PostgreSQL.
2. Add \`postgresql.conf.snippet\` to postgresql.conf and put \`pg_hba.conf.snippet\` at the top of pg_hba.conf${p.withPgbouncer ? ", and add `pg_ident.conf.snippet` to pg_ident.conf (this cluster has PgBouncer: its certificate is mapped to the roles it pools)" : ""}.
3. Reload PostgreSQL. Clients connect with \`sslmode=verify-full\` and root.crt.`;

const ROLE_STEPS: Record<NodeRole, (p: ReadmeParams) => string> = {
  primary: POSTGRES_STEPS,
  other: POSTGRES_STEPS,
  replica: (p) => `${POSTGRES_STEPS(p)}
4. Replication: this bundle carries \`replication.crt\`/\`replication.key\`, a client certificate for the replication user.
   \`postgresql.conf.snippet\` sets \`primary_conninfo\` to ${p.primaryHost ? `the primary, ${p.primaryHost},` : "the primary (no primary node is registered yet: replace PRIMARY_HOST)"} at \`sslmode=verify-full\`,
   so the replica checks the primary's certificate and logs in with its own. For a new replica: \`pg_basebackup\`, then
   \`touch standby.signal\` in the data directory before starting it.`,
  pgbouncer: () => `1. \`sudo ./install.sh /etc/pgbouncer\` copies the files (keys 0600, owned by postgres) and reloads PgBouncer.
2. Merge \`pgbouncer.ini.snippet\` into pgbouncer.ini and list the pooled roles in userlist.txt.
3. PgBouncer logs in to PostgreSQL with \`pgbouncer-client.crt\` (CN=pgbouncer) at \`server_tls_sslmode = verify-full\`:
   the PostgreSQL nodes' bundles carry the matching \`pg_ident.conf.snippet\` and \`map=\` in pg_hba. Download them again
   after adding this node.
4. Clients connect to PgBouncer exactly as to PostgreSQL: \`sslmode=verify-full\`, root.crt, their client certificate.

**Limit of PgBouncer 1.18, plainly:** it has no CRL setting, so it keeps accepting a revoked client certificate
until that certificate expires. After a revocation, remove the role from userlist.txt (or stop pooling it), and
keep client certificate lifetimes short for pooled roles.`,
  pgpool:
    () => `1. \`sudo ./install.sh /etc/pgpool2\`, merge \`pgpool.conf.snippet\` into pgpool.conf and use \`pool_hba.conf.snippet\` as pool_hba.conf.
2. Restart pgpool-II (it reads its TLS files at start-up only).

**Limits of pgpool-II, plainly:** it cannot present a client certificate to PostgreSQL, and it does not check the
backend's host name. Authenticate pgpool-II to PostgreSQL with \`scram-sha-256\` (passwords in \`pool_passwd\`, made with
\`pg_enc\`), and keep PostgreSQL's pg_hba at \`hostssl\` only with \`hostnossl … reject\` — otherwise pgpool-II silently
falls back to plaintext when a backend has \`ssl = off\`. Clients still reach pgpool-II at \`sslmode=verify-full\`.`,
};

/** The bundle's README: what the certificate is, then the steps for this node's role. */
export function serverReadme(p: ReadmeParams): string {
  return `# ${p.hostname} (${p.role}) — ${p.clusterName}

Certificate serial ${p.serialHex}, valid until ${p.notAfter.toISOString()}.
Names: ${p.names.join(", ")}
${p.withServerKey ? "" : "\nThis certificate was signed from the node's own CSR: there is no server.key in this bundle. Keep the private key\nyou generated with the CSR as server.key next to server.crt (0600, owned by the OS owner); install.sh leaves it alone.\n"}
${p.missingNodeClient ? `\n**This bundle has no ${p.missingNodeClient}.crt/${p.missingNodeClient}.key.** This node was added before cluster-tls issued that\ncertificate with the node. Re-issue the node's certificate (node page → Re-issue, or \`POST /api/v1/nodes/{id}/reissue\`):\nthat issues it, and the next download of this bundle carries it.\n` : ""}
${ROLE_STEPS[p.role](p)}

root.crl expires ${p.crlNextUpdate.toISOString()}: cluster-tls re-signs it; install fresh copies before then
(a stale CRL makes PostgreSQL refuse every client certificate).
`;
}
