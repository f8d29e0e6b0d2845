import fs from "node:fs";
import path from "node:path";
import { unzipSync } from "fflate";

/**
 * Unzips a bundle into `parent/name` the way an operator's unzip would leave it for the
 * postgres user: readable directory, keys 0600, scripts executable. Returns the directory.
 */
export function unpackBundle(zip: Uint8Array, parent: string, name: string): string {
  const target = path.join(parent, name);
  fs.mkdirSync(target, { recursive: true, mode: 0o755 });
  for (const [entry, data] of Object.entries(unzipSync(zip))) {
    fs.writeFileSync(path.join(target, path.basename(entry)), data, {
      mode: entry.endsWith(".key") ? 0o600 : entry.endsWith(".sh") ? 0o755 : 0o644,
    });
  }
  return target;
}

/** The `tls` option of startPostgres from an unpacked server bundle: its certificate, key, root.crt and CRL. */
export function serverTlsFrom(bundleDir: string): { cert: string; key: string; ca: string; crl: string } {
  const read = (file: string) => fs.readFileSync(path.join(bundleDir, file), "utf8");
  return { cert: read("server.crt"), key: read("server.key"), ca: read("root.crt"), crl: read("root.crl") };
}

/** The bundle's pg_hba.conf lines (its snippet without comments), as an operator pastes them. */
export const hbaLinesFrom = (bundleDir: string): string[] =>
  fs
    .readFileSync(path.join(bundleDir, "pg_hba.conf.snippet"), "utf8")
    .split("\n")
    .filter((line) => line && !line.startsWith("#"));
