import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { now } from "./clock";
import { forgetConnections, readConnections } from "./connections";
import { deleteCredentials, readCredentials, writeCredentials } from "./credentials";
import { DeviceApiError, fetchAccess, forgetDevice, normalizeServer } from "./device-api";
import { runDeviceGrant } from "./device-grant";
import { ensureConnection, serviceEntries } from "./ensure-connection";
import { readHeld, writePk8 } from "./held-certificate";
import { CLIENT_FILES } from "./paths";
import { formatDuration } from "./renewal";

export const DEVELOPER_USAGE = `  cluster-tls.mjs login URL [--name NAME]       sign this machine in (you approve it in the browser)
  cluster-tls.mjs connect CLUSTER [--user DBUSER] [--dbname NAME]
                                                a certificate + a pg_service.conf section: psql service=CLUSTER-DBUSER
  cluster-tls.mjs env CLUSTER [--user DBUSER] [--vars | --jdbc]
                                                export PGSERVICE=… (--vars: PGHOST…PGSSLCRL; --jdbc: a JDBC URL)
  cluster-tls.mjs status                        the server, this device and the certificates held
  cluster-tls.mjs logout                        revoke this device, delete its files and service sections`;

export const DEVELOPER_COMMANDS = ["login", "connect", "env", "status", "logout"] as const;

function args(argv: string[], flags: Record<string, "string" | "boolean">) {
  const options = Object.fromEntries(Object.entries(flags).map(([name, type]) => [name, { type }]));
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  return { values: values as Record<string, string | boolean | undefined>, positionals };
}

async function login(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, { name: "string" });
  if (positionals.length !== 1) throw new Error("usage: cluster-tls login URL [--name NAME]");
  const server = normalizeServer(positionals[0]!);
  if (server.startsWith("http:") && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(server))
    console.error(`warning: ${server} is plain HTTP: the device credential will cross the network unencrypted`);
  const deviceName = (values.name as string | undefined) ?? os.hostname();
  const token = await runDeviceGrant(server, deviceName);
  const expiresAt = new Date(Date.now() + token.expires_in * 1000).toISOString();
  writeCredentials({ server, access_token: token.access_token, device_id: token.device_id, expiresAt });
  console.log(`logged in to ${server} as device "${deviceName}" until ${expiresAt}`);
  const access = await fetchAccess(server, token.access_token);
  if (access.clusters.length === 0)
    console.log(`${access.user.email} may not connect to any cluster yet: ask an admin for a database user grant`);
  else
    console.log(
      `${access.user.email} may connect to:\n${access.clusters.map((c) => `  ${c.name}  as ${c.databaseUsers.join(", ") || "—"}  (${c.connect ? `${c.connect.host}:${c.connect.port}/${c.connect.dbname}` : "no address set yet"}, certificates last ${c.loginCertificateHours} h)`).join("\n")}`,
    );
  if (access.clusters.length > 0)
    console.log(
      `next: cluster-tls connect ${access.clusters[0]!.name}${access.clusters[0]!.databaseUsers.length > 1 ? " --user DBUSER" : ""}`,
    );
  return 0;
}

function clusterArgs(argv: string[], extra: Record<string, "string" | "boolean"> = {}) {
  const parsed = args(argv, { user: "string", dbname: "string", ...extra });
  if (parsed.positionals.length !== 1) throw new Error("give one cluster name, e.g. cluster-tls connect orders-prod");
  return {
    cluster: parsed.positionals[0]!,
    user: parsed.values.user as string | undefined,
    dbname: parsed.values.dbname as string | undefined,
    values: parsed.values,
  };
}

async function connect(argv: string[]): Promise<number> {
  const { connection } = await ensureConnection(clusterArgs(argv), (line) => console.log(line));
  console.log(`service [${connection.service}] in ${connection.serviceFile}\n\n  psql service=${connection.service}`);
  return 0;
}

/** POSIX shell single quotes: nothing inside is special except the quote itself. */
const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

async function env(argv: string[]): Promise<number> {
  const options = clusterArgs(argv, { vars: "boolean", jdbc: "boolean" });
  // stdout is for `eval "$(cluster-tls env …)"`: what happened goes to stderr.
  const { connection } = await ensureConnection(options, (line) => console.error(line));
  if (options.values.jdbc) {
    const pk8 = writePk8(connection.dir);
    const host = connection.host.includes(":") ? `[${connection.host}]` : connection.host;
    const query = new URLSearchParams({
      user: connection.databaseUser,
      ssl: "true",
      sslmode: "verify-full",
      sslrootcert: path.join(connection.dir, CLIENT_FILES.root),
      sslcert: path.join(connection.dir, CLIENT_FILES.certificate),
      sslkey: pk8,
    });
    console.log(`jdbc:postgresql://${host}:${connection.port}/${encodeURIComponent(connection.dbname)}?${query.toString()}`);
  } else if (options.values.vars) {
    const names: Record<string, string> = {
      host: "PGHOST",
      port: "PGPORT",
      dbname: "PGDATABASE",
      user: "PGUSER",
      sslmode: "PGSSLMODE",
      sslrootcert: "PGSSLROOTCERT",
      sslcert: "PGSSLCERT",
      sslkey: "PGSSLKEY",
      sslcrl: "PGSSLCRL",
    };
    for (const [key, value] of serviceEntries(connection)) console.log(`export ${names[key]}=${shellQuote(value)}`);
  } else {
    console.log(`export PGSERVICE=${shellQuote(connection.service)}`);
  }
  return 0;
}

async function status(): Promise<number> {
  const credentials = readCredentials();
  const at = now();
  console.log(
    credentials
      ? `server       ${credentials.server}\ndevice       ${credentials.device_id} (credential until ${credentials.expiresAt})`
      : "not logged in",
  );
  const connections = readConnections();
  if (connections.length === 0) console.log("certificates none (run `cluster-tls connect CLUSTER`)");
  for (const c of connections) {
    const held = await readHeld(c.dir);
    const life = held
      ? `serial ${held.serial}  notAfter ${held.notAfter.toISOString()}  ${formatDuration(held.notAfter.getTime() - at.getTime())} left`
      : "files missing: run connect again";
    console.log(`${c.cluster} / ${c.databaseUser}  service=${c.service}  ${life}`);
  }
  return 0;
}

async function logout(): Promise<number> {
  const credentials = readCredentials();
  if (credentials) {
    try {
      await forgetDevice(credentials.server, credentials.access_token);
      console.log(`${credentials.server} revoked this device's credential`);
    } catch (error) {
      if (error instanceof DeviceApiError && error.status === 401)
        console.log(`${credentials.server} had already revoked this device's credential`);
      else
        console.error(
          `could not revoke the credential on the server (${(error as Error).message}): it stays valid there until it expires or is revoked on the My devices page`,
        );
    }
  }
  for (const removed of forgetConnections()) console.log(`removed ${removed}`);
  deleteCredentials();
  console.log(credentials ? "logged out" : "was not logged in; local files cleaned up");
  return 0;
}

export function runDeveloperCommand(command: (typeof DEVELOPER_COMMANDS)[number], argv: string[]): Promise<number> {
  switch (command) {
    case "login":
      return login(argv);
    case "connect":
      return connect(argv);
    case "env":
      return env(argv);
    case "status":
      return status();
    case "logout":
      return logout();
  }
}
