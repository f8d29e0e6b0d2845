import fs from "node:fs";
import path from "node:path";
import { readIfExists, writeFileAtomic } from "./atomic-file";
import { CLIENT_FILES, certificatesRoot, configDir, connectionsPath } from "./paths";
import { editServiceFile, removeServiceSection } from "./pg-service-file";

/**
 * What `connect` wrote, so `status` works offline and `logout` removes exactly that: the files in
 * one directory per cluster/db user and one service section (in the service file it was written to).
 */
export type Connection = {
  cluster: string;
  databaseUser: string;
  service: string;
  serviceFile: string;
  dir: string;
  host: string;
  port: number;
  dbname: string;
};

export function readConnections(): Connection[] {
  const text = readIfExists(connectionsPath());
  return text === null ? [] : ((JSON.parse(text) as { connections: Connection[] }).connections ?? []);
}

export function saveConnection(connection: Connection): void {
  const others = readConnections().filter((c) => !(c.cluster === connection.cluster && c.databaseUser === connection.databaseUser));
  fs.mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  writeFileAtomic(connectionsPath(), `${JSON.stringify({ connections: [...others, connection] }, null, 2)}\n`, 0o600);
}

/** Removes the files and service sections `connect` wrote, and empty directories up to ~/.postgresql/cluster-tls (not ~/.postgresql). */
export function forgetConnections(): string[] {
  const removed: string[] = [];
  for (const connection of readConnections()) {
    for (const name of Object.values(CLIENT_FILES)) {
      const file = path.join(connection.dir, name);
      if (fs.existsSync(file)) {
        fs.rmSync(file);
        removed.push(file);
      }
    }
    for (const dir of [connection.dir, path.dirname(connection.dir), certificatesRoot()]) removeIfEmpty(dir);
    if (editServiceFile(connection.serviceFile, (text) => removeServiceSection(text, connection.service)))
      removed.push(`[${connection.service}] in ${connection.serviceFile}`);
  }
  fs.rmSync(connectionsPath(), { force: true });
  return removed;
}

function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty (someone else's files) or already gone: leave it
  }
}
