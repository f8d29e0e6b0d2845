import fs from "node:fs";
import { readIfExists, writeFileAtomic } from "./atomic-file";
import { configDir, credentialsPath } from "./paths";

/** The device credential from the device grant: a bearer token as good as a session for issuance, so 0600 in a 0700 directory. */
export type Credentials = { server: string; access_token: string; device_id: string; expiresAt: string };

export function readCredentials(): Credentials | null {
  const text = readIfExists(credentialsPath());
  if (text === null) return null;
  const parsed = JSON.parse(text) as Partial<Credentials>;
  for (const field of ["server", "access_token", "device_id", "expiresAt"] as const) {
    if (typeof parsed[field] !== "string")
      throw new Error(`${credentialsPath()}: "${field}" is missing; run \`cluster-tls login URL\` again`);
  }
  return parsed as Credentials;
}

export function requireCredentials(): Credentials {
  const credentials = readCredentials();
  if (!credentials) throw new Error("not logged in: run `cluster-tls login https://<your cluster-tls server>` first");
  return credentials;
}

export function writeCredentials(credentials: Credentials): void {
  const dir = configDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode applies only when it creates the directory (and through the umask): set it.
  fs.chmodSync(dir, 0o700);
  writeFileAtomic(credentialsPath(), `${JSON.stringify(credentials, null, 2)}\n`, 0o600);
}

export function deleteCredentials(): boolean {
  const existed = fs.existsSync(credentialsPath());
  fs.rmSync(credentialsPath(), { force: true });
  return existed;
}
