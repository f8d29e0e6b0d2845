import os from "node:os";
import path from "node:path";

/** Where the laptop side keeps its files; each honours the variable its own tool reads. */
const home = () => process.env.HOME || os.homedir();

/** XDG Base Directory: $XDG_CONFIG_HOME, or ~/.config when it is unset or empty. */
export function configDir(): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home(), ".config"), "cluster-tls");
}
export const credentialsPath = () => path.join(configDir(), "credentials.json");
export const connectionsPath = () => path.join(configDir(), "connections.json");

/** libpq looks for client files under ~/.postgresql; ours live in a subtree we own alone. */
export const certificatesRoot = () => path.join(home(), ".postgresql", "cluster-tls");
export const certificateDir = (cluster: string, databaseUser: string) => path.join(certificatesRoot(), cluster, databaseUser);

/** libpq reads the per-user service file from $PGSERVICEFILE, else ~/.pg_service.conf. */
export function serviceFilePath(): string {
  return process.env.PGSERVICEFILE || path.join(home(), ".pg_service.conf");
}

export const CLIENT_FILES = { certificate: "client.crt", key: "client.key", root: "root.crt", crl: "root.crl", pk8: "client.pk8" } as const;

/**
 * Cluster and database-user names become directory names and a service-file section header, and
 * they come from the server: refuse anything that could climb out of the directory ("..", "/")
 * or break the service file's line syntax ("]", "=", newlines, leading "#").
 */
export function assertSafeName(kind: string, name: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,62}$/.test(name) || name.includes("..")) {
    throw new Error(
      `${kind} ${JSON.stringify(name)} cannot be used as a directory and pg_service.conf section name (letters, digits, _ . @ - only)`,
    );
  }
  return name;
}
