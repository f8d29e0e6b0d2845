import fs from "node:fs";
import { ConfigError } from "./errors";

/**
 * Creates `dir` (0700) if needed and checks this process may write to it; otherwise a
 * ConfigError naming the directory and the variables that choose it (`variables`).
 */
export function ensureWritableDirectory(dir: string, variables: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new ConfigError(
      `data directory ${dir} is not writable (${(error as NodeJS.ErrnoException).code ?? "error"}); set ${variables} to a writable path`,
    );
  }
}
