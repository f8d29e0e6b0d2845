import "server-only";
import type { DatabaseKind } from "@/lib/db";
import { getRuntime } from "./bootstrap";

/** What the settings page shows about this instance; never key material, only the key's id and where it came from. */
export type InstanceFacts = {
  /** "pglite" belongs to this one process; "postgres" may be shared by several instances. */
  databaseKind: DatabaseKind;
  databaseDescription: string;
  dataDir: string;
  masterKeyId: string;
  masterKeySource: string;
};

/** The process-wide facts about this instance (database, data dir, master key), for the settings page. */
export async function readInstanceFacts(): Promise<InstanceFacts> {
  const { config, database, keyRing } = await getRuntime();
  return {
    databaseKind: database.kind,
    databaseDescription: database.description,
    dataDir: config.dataDir,
    masterKeyId: keyRing.current.id,
    masterKeySource: keyRing.source,
  };
}
