import fs from "node:fs";
import path from "node:path";

/**
 * Writes `file` so that a reader sees the old bytes or the new ones, never half: a temporary file
 * in the same directory (rename(2) is atomic only within one filesystem), chmod before the rename
 * so the content is never readable with looser permissions (libpq refuses a group/world-readable
 * key), then rename over the target.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.tmp-${process.pid}`;
  fs.rmSync(temporary, { force: true });
  fs.writeFileSync(temporary, data, { mode });
  fs.chmodSync(temporary, mode);
  fs.renameSync(temporary, file);
}

export function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
