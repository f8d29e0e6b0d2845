import { zipSync, type Zippable } from "fflate";

export type BundleFile = { name: string; data: string | Uint8Array; mode?: number };

/**
 * A zip whose entries keep Unix modes (client.key 0600: libpq refuses a key others can read),
 * so `unzip` restores them. All entries sit in one folder named after the bundle.
 */
export function zipBundle(folder: string, files: BundleFile[]): Uint8Array {
  const encoder = new TextEncoder();
  const entries: Zippable = {};
  for (const file of files) {
    const data = typeof file.data === "string" ? encoder.encode(file.data) : file.data;
    const mode = file.mode ?? 0o644;
    // External attributes: the Unix mode in the high 16 bits, with os = 3 (Unix).
    entries[`${folder}/${file.name}`] = [data, { os: 3, attrs: ((0o100000 | mode) << 16) >>> 0, mtime: new Date() }];
  }
  return zipSync(entries, { level: 6 });
}
