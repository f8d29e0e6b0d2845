import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

/**
 * An initialized but empty PGlite cluster to copy into a new data dir. PGlite initializes a new
 * directory by running PostgreSQL's initdb (bootstrap mode, template databases) inside
 * WebAssembly: ~8 s on a quiet 2-core machine and 25–45 s at load average 8 (measured), against
 * ~2 s to open an existing one. A file whose tests each start from an empty data dir pays it once,
 * in `beforeAll`, instead of inside every test's time budget. What the copy holds is exactly what
 * a first open writes before cluster-tls's own migrations, which the CLI still runs on it.
 */
export async function makePgliteTemplate(parent: string): Promise<string> {
  const dir = path.join(parent, "pglite-template");
  const client = await PGlite.create(dir);
  await client.close();
  return dir;
}

/** A data dir (CLUSTER_TLS_DATA_DIR) whose embedded database is a copy of the template. */
export function dataDirFromTemplate(template: string, dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(template, path.join(dataDir, "pglite"), { recursive: true });
}
