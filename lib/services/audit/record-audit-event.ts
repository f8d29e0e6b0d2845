import "server-only";
import { schema, type Executor } from "@/lib/db";
import type { AuditOutcome } from "@/lib/db/schema/enums";
import type { Actor } from "@/lib/access/actor";
import { logDebug } from "@/lib/log/debug-log";
import { enqueueWebhookEvents, webhookEventOf } from "@/lib/services/webhooks/enqueue-webhook-event";

export type AuditEntry = {
  action: string;
  objectType?: string;
  objectId?: string;
  clusterId?: string;
  outcome?: AuditOutcome;
  details?: Record<string, unknown>;
};

/**
 * Appends one audit row. Call it with the transaction of the change it records, so the row
 * exists exactly when the change does. `details` must never carry key material: they are also
 * the data of the webhook event the action maps to (certificate issued/revoked, CA rotation).
 */
export async function recordAuditEvent(db: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordAuditEvents(db, actor, [entry]);
}

/** Many audit rows of one actor in one INSERT (bulk re-issue writes a row per node), webhooks queued alike. */
export async function recordAuditEvents(db: Executor, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const request =
    actor.type === "user" || actor.type === "token" || actor.type === "anonymous" || actor.type === "node" || actor.type === "device"
      ? actor
      : null;
  await db.insert(schema.auditEvents).values(
    entries.map((entry) => ({
      actorType: actor.type,
      actorId: actor.type === "user" || actor.type === "token" || actor.type === "node" || actor.type === "device" ? actor.id : null,
      actorLabel: actor.label,
      action: entry.action,
      objectType: entry.objectType ?? null,
      objectId: entry.objectId ?? null,
      clusterId: entry.clusterId ?? null,
      outcome: entry.outcome ?? "success",
      ipAddress: request?.ipAddress ?? null,
      userAgent: request?.userAgent ?? null,
      details: entry.details ?? {},
    })),
  );
  for (const entry of entries) {
    logDebug("audit", () => {
      const object = entry.objectId ? ` ${entry.objectType ?? "object"} ${entry.objectId}` : "";
      return `${entry.action} ${entry.outcome ?? "success"} by ${actor.label}${object} ${JSON.stringify(entry.details ?? {})}`;
    });
  }
  const events = entries.flatMap((entry) => {
    const event = entry.outcome === "failure" || entry.outcome === "denied" ? undefined : webhookEventOf(entry.action);
    if (!event || !entry.clusterId) return [];
    return [
      {
        clusterId: entry.clusterId,
        event,
        data: {
          action: entry.action,
          actor: actor.label,
          objectType: entry.objectType ?? null,
          objectId: entry.objectId ?? null,
          ...entry.details,
        },
      },
    ];
  });
  await enqueueWebhookEvents(db, events);
}
