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
    fs.writeFileSync(path.join(target, path.basename(entry)), data, { mode: entry.endsWith(".key") ? 0o600 : entry.endsWith(".sh") ? 0o755 : 0o644 });
  }
  return target;
}
