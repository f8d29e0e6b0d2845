import fs from "node:fs";
import path from "node:path";
import { parseCertificate, parseCrl, pemToDer, pemToDerAll } from "@/lib/pki";
import { readIfExists, writeFileAtomic } from "./atomic-file";
import type { LoginCertificate } from "./device-api";
import { CLIENT_FILES } from "./paths";
import { crlIsStale, needsRenewal } from "./renewal";

export type Held = { serial: string; notBefore: Date; notAfter: Date; crlNextUpdate: Date | null };

/** The certificate held in `dir`, or null when a file is missing or unreadable (then connect issues a new one). */
export async function readHeld(dir: string): Promise<Held | null> {
  const certificate = readIfExists(path.join(dir, CLIENT_FILES.certificate));
  if (!certificate || !fs.existsSync(path.join(dir, CLIENT_FILES.key)) || !fs.existsSync(path.join(dir, CLIENT_FILES.root))) return null;
  try {
    const parsed = await parseCertificate(certificate);
    const crl = readIfExists(path.join(dir, CLIENT_FILES.crl));
    const updates = crl ? pemToDerAll(crl, "X509 CRL").flatMap((der) => parseCrl(der).nextUpdate ?? []) : [];
    const crlNextUpdate = updates.length ? new Date(Math.min(...updates.map((d) => d.getTime()))) : null;
    return { serial: parsed.serialHex, notBefore: parsed.notBefore, notAfter: parsed.notAfter, crlNextUpdate };
  } catch {
    return null;
  }
}

export const isFresh = (held: Held | null, at: Date): held is Held =>
  held !== null && !needsRenewal(held, at) && !crlIsStale(held.crlNextUpdate, at);

/**
 * Installs a new set, each file replaced atomically (a psql starting meanwhile may pair the new
 * key with the old certificate for one rename and fail once, never read half a file). The key is PKCS#8
 * PEM (libpq reads it) and 0600 (libpq refuses a key others can read). client.pk8, the DER form
 * pgJDBC needs, is kept in step when `env --jdbc` made one.
 */
export function installIssued(dir: string, issued: LoginCertificate, privateKeyPem: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: Array<[string, string | Uint8Array, number]> = [
    [CLIENT_FILES.key, privateKeyPem, 0o600],
    [CLIENT_FILES.certificate, issued.certificatePem, 0o644],
    [CLIENT_FILES.root, issued.rootCertificatesPem, 0o644],
    [CLIENT_FILES.crl, issued.crlPem, 0o644],
  ];
  if (fs.existsSync(path.join(dir, CLIENT_FILES.pk8)))
    files.splice(1, 0, [CLIENT_FILES.pk8, pemToDer(privateKeyPem, "PRIVATE KEY"), 0o600]);
  for (const [name, data, mode] of files) writeFileAtomic(path.join(dir, name), data, mode);
}

export function writePk8(dir: string): string {
  const key = fs.readFileSync(path.join(dir, CLIENT_FILES.key), "utf8");
  const file = path.join(dir, CLIENT_FILES.pk8);
  writeFileAtomic(file, pemToDer(key, "PRIVATE KEY"), 0o600);
  return file;
}
