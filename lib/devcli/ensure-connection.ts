import path from "node:path";
import { createCsr } from "@/lib/pki";
import { now } from "./clock";
import { readConnections, saveConnection, type Connection } from "./connections";
import { requireCredentials, type Credentials } from "./credentials";
import { DeviceApiError, fetchAccess, requestLoginCertificate, type ClusterAccess } from "./device-api";
import { installIssued, isFresh, readHeld, type Held } from "./held-certificate";
import { assertSafeName, certificateDir, CLIENT_FILES, serviceFilePath } from "./paths";
import { editServiceFile, upsertServiceSection } from "./pg-service-file";
import { formatDuration } from "./renewal";

export type EnsureOptions = { cluster: string; user?: string; dbname?: string };
export type Ensured = { connection: Connection; held: Held; issued: boolean };

/** The libpq parameters of one service section: verify-full, so libpq checks the server's name against its certificate. */
export function serviceEntries(c: Connection): Array<[string, string]> {
  return [
    ["host", c.host],
    ["port", String(c.port)],
    ["dbname", c.dbname],
    ["user", c.databaseUser],
    ["sslmode", "verify-full"],
    ["sslrootcert", path.join(c.dir, CLIENT_FILES.root)],
    ["sslcert", path.join(c.dir, CLIENT_FILES.certificate)],
    ["sslkey", path.join(c.dir, CLIENT_FILES.key)],
    ["sslcrl", path.join(c.dir, CLIENT_FILES.crl)],
  ];
}

function explain(error: unknown, credentials: Credentials): never {
  if (error instanceof DeviceApiError && error.status === 401) {
    throw new Error(
      `${credentials.server} no longer accepts this device (revoked on the My devices page, or expired): run \`cluster-tls login ${credentials.server}\` again`,
    );
  }
  if (error instanceof DeviceApiError && error.status === 403) throw new Error(`refused: ${error.message.replace(/^\w+ \S+: 403 /, "")}`);
  throw error;
}

function pickUser(cluster: ClusterAccess, wanted: string | undefined): string {
  const users = cluster.databaseUsers;
  if (wanted) {
    if (!users.includes(wanted))
      throw new Error(
        `you may not get a certificate for database user "${wanted}" in ${cluster.name}; you may use: ${users.join(", ") || "none"}`,
      );
    return wanted;
  }
  if (users.length === 1) return users[0]!;
  if (users.length === 0)
    throw new Error(`you may not get a certificate for any database user in ${cluster.name}: ask an admin to grant one`);
  throw new Error(`${cluster.name} has several database users you may use: ${users.join(", ")}; choose one with --user`);
}

/**
 * A valid certificate for one cluster and database user, and its service section: the held one
 * while it has at least a quarter of its life left (no network needed), otherwise a new key made
 * here and a CSR sent to the server. The key never leaves this machine.
 */
export async function ensureConnection(options: EnsureOptions, log: (line: string) => void): Promise<Ensured> {
  const credentials = requireCredentials();
  const at = now();
  const held = readConnections().filter((c) => c.cluster === options.cluster && (!options.user || c.databaseUser === options.user));
  if (held.length === 1 && held[0]!.serviceFile === serviceFilePath() && (!options.dbname || options.dbname === held[0]!.dbname)) {
    const connection = held[0]!;
    const current = await readHeld(connection.dir);
    if (isFresh(current, at)) {
      editServiceFile(connection.serviceFile, (text) => upsertServiceSection(text, connection.service, serviceEntries(connection)));
      log(
        `certificate ${current.serial} for ${connection.databaseUser} on ${connection.cluster} has ${formatDuration(current.notAfter.getTime() - at.getTime())} left: kept`,
      );
      return { connection, held: current, issued: false };
    }
  }
  if (new Date(credentials.expiresAt).getTime() <= Date.now()) {
    throw new Error(
      `this device's login to ${credentials.server} expired on ${credentials.expiresAt}: run \`cluster-tls login ${credentials.server}\` again`,
    );
  }
  const access = await fetchAccess(credentials.server, credentials.access_token).catch((error: unknown) => explain(error, credentials));
  const cluster = access.clusters.find((c) => c.name === options.cluster || c.id === options.cluster);
  if (!cluster) {
    throw new Error(
      `you cannot connect to a cluster named "${options.cluster}"; yours: ${access.clusters.map((c) => c.name).join(", ") || "none (ask an admin for a database user grant)"}`,
    );
  }
  const databaseUser = pickUser(cluster, options.user);
  if (!cluster.connect)
    throw new Error(`${cluster.name} has no address to connect to yet: an admin sets "Connect through" in the cluster's settings`);
  const dir = certificateDir(assertSafeName("cluster name", cluster.name), assertSafeName("database user", databaseUser));
  const connection: Connection = {
    cluster: cluster.name,
    databaseUser,
    service: `${cluster.name}-${databaseUser}`,
    serviceFile: serviceFilePath(),
    dir,
    host: cluster.connect.host,
    port: cluster.connect.port,
    dbname: options.dbname ?? cluster.connect.dbname,
  };
  let current = await readHeld(dir);
  const issued = !isFresh(current, at);
  if (issued) {
    // CN = the database user: PostgreSQL's cert authentication compares the CN with the role.
    const { csrPem, privateKeyPem } = await createCsr({ subject: { CN: databaseUser } });
    const certificate = await requestLoginCertificate(
      credentials.server,
      credentials.access_token,
      cluster.name,
      databaseUser,
      csrPem,
    ).catch((error: unknown) => explain(error, credentials));
    installIssued(dir, certificate, privateKeyPem);
    current = (await readHeld(dir))!;
    if (certificate.connect)
      Object.assign(connection, {
        host: certificate.connect.host,
        port: certificate.connect.port,
        dbname: options.dbname ?? certificate.connect.dbname,
      });
    log(
      `issued certificate ${certificate.serial} for ${databaseUser} on ${cluster.name}, valid until ${certificate.notAfter} (${formatDuration(new Date(certificate.notAfter).getTime() - at.getTime())})`,
    );
  } else {
    log(
      `certificate ${current!.serial} for ${databaseUser} on ${cluster.name} has ${formatDuration(current!.notAfter.getTime() - at.getTime())} left: kept`,
    );
  }
  editServiceFile(connection.serviceFile, (text) => upsertServiceSection(text, connection.service, serviceEntries(connection)));
  saveConnection(connection);
  return { connection, held: current!, issued };
}
