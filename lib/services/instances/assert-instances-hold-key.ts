import "server-only";
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { listLiveInstances } from "./list-live-instances";

/**
 * Before `master-key rotate` switches anything: every other live server on the database must hold
 * the key it moves to (`keyId`), or null for a key made only now, which none of them can hold.
 * One that lacks it keeps encrypting under the old key, which the others drop when the rotation
 * finishes; they then fail to decrypt what it wrote. `self` is the process running the rotation
 * (it switches in memory); a stopped instance picks the key up from master.key.next when it starts.
 */
export async function assertInstancesHoldKey(db: Database, { keyId, self }: { keyId: string | null; self: string }): Promise<void> {
  const { instances } = await listLiveInstances(db, { exclude: self });
  const lacking = instances.filter((row) => keyId === null || !row.keyIds.includes(keyId));
  if (lacking.length === 0) return;
  const names = lacking.map((row) => `${row.instance} (holds ${row.keyIds.join(", ")})`).join("; ");
  if (keyId === null) {
    throw new AppError(
      "CONFLICT",
      `other instances run on this database: ${names}. A new master key made now would be one they cannot decrypt: ` +
        "run `master-key rotate --prepare`, copy master.key.next (mode 0600) into each one's data directory (or stop them), then `master-key rotate`",
    );
  }
  throw new AppError(
    "CONFLICT",
    `not rotating: live instances do not hold master key ${keyId} yet: ${names}. Copy master.key.next (mode 0600) into each one's data directory ` +
      `and wait for "master key ${keyId} … adopted" in its log (or stop them), then run \`master-key rotate\` again`,
  );
}
