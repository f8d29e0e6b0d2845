import { zipSync, type Zippable } from "fflate";

export type BundleFile = { name: string; data: string | Uint8Array; mode?: number };

/**
 * A zip whose entries keep Unix modes (client.key 0600: libpq refuses a key others can read),
 * so `unzip` restores them. All entries sit in one folder named after the bundle.
 */
export function zipBundle(folder: string, files: BundleFile[]): Uint8Array {
  assertSafeName(folder);
  const encoder = new TextEncoder();
  const entries: Zippable = {};
  for (const file of files) {
    assertSafeName(file.name);
    const data = typeof file.data === "string" ? encoder.encode(file.data) : file.data;
    const mode = file.mode ?? 0o644;
    // External attributes: the Unix mode in the high 16 bits, with os = 3 (Unix).
    entries[`${folder}/${file.name}`] = [data, { os: 3, attrs: ((0o100000 | mode) << 16) >>> 0, mtime: new Date() }];
  }
  return zipSync(entries, { level: 6 });
}

/**
 * Entry names come from host names, cluster names and database users: validated upstream, and
 * checked again here so no bundle can ever unzip outside its folder (zip slip).
 */
function assertSafeName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(name) || name.includes(".."))
    throw new Error(`unsafe name in a bundle: ${JSON.stringify(name.slice(0, 80))}`);
}
