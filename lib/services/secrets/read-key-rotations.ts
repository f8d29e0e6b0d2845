import "server-only";
import { and, inArray } from "drizzle-orm";
import { schema, type Executor } from "@/lib/db";
import type { KeyRotationState } from "@/lib/secrets/key-ring";

/**
 * The audit rows a master-key rotation writes (rotate-master-key): one before it switches any
 * write to the new key, one after the sweep left nothing under the old keys. Other instances on
 * the same database read them to follow the rotation (lib/runtime/watch-master-keys.ts).
 */
export const KEY_ROTATION_STARTED = "master_key.rotate_start";
export const KEY_ROTATION_FINISHED = "master_key.rotate";

/**
 * How far the rotations to these keys got (every recorded rotation when `keyIds` is omitted),
 * by key id. Rare rows found through the index on action: cheap enough to read every second.
 */
export async function readKeyRotations(db: Executor, keyIds?: readonly string[]): Promise<Map<string, KeyRotationState>> {
  const { auditEvents: a } = schema;
  if (keyIds?.length === 0) return new Map();
  const rows = await db
    .select({ action: a.action, keyId: a.objectId })
    .from(a)
    .where(and(inArray(a.action, [KEY_ROTATION_STARTED, KEY_ROTATION_FINISHED]), keyIds ? inArray(a.objectId, [...keyIds]) : undefined));
  const states = new Map<string, KeyRotationState>();
  for (const { action, keyId } of rows) {
    // Finished wins over started, whichever row comes first.
    if (keyId && states.get(keyId) !== "finished") states.set(keyId, action === KEY_ROTATION_FINISHED ? "finished" : "started");
  }
  return states;
}
