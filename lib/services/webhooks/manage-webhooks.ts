import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { schema, type Database, type Executor } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { encryptSecret } from "@/lib/secrets/envelope";
import type { MasterKey } from "@/lib/secrets/master-key";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { getClusterOrThrow } from "@/lib/services/clusters/get-cluster";
import { validationError } from "@/lib/validations/field-errors";
import { ZCreateWebhookInput, type TCreateWebhookInput } from "@/lib/validations/webhooks";
import { isUuid } from "@/lib/validations/uuid";
import { privateTargetsAllowed, PRIVATE_TARGET_MESSAGE } from "@/lib/webhooks/private-address";
import { resolvePrivateAddress } from "@/lib/webhooks/resolve-private-address";

const MAX_WEBHOOKS_PER_CLUSTER = 10;

/**
 * Registers a webhook for a cluster. Returns its signing secret once (stored encrypted, never
 * shown again): receivers check X-Cluster-TLS-Signature with it.
 */
export async function createWebhook(db: Database, actor: Actor, masterKey: MasterKey, clusterRef: string, input: TCreateWebhookInput) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const parsed = ZCreateWebhookInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error, "invalid webhook");
  const resolved = privateTargetsAllowed() ? null : await resolvePrivateAddress(parsed.data.url);
  if (resolved) {
    const message = `${new URL(parsed.data.url).hostname} resolves to ${resolved}: ${PRIVATE_TARGET_MESSAGE}`;
    throw new AppError("VALIDATION_FAILED", `url: ${message}`, { url: [message] });
  }
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  return db.transaction(async (tx) => {
    const { webhooks } = schema;
    const existing = await tx
      .select({ id: webhooks.id })
      .from(webhooks)
      .where(and(eq(webhooks.clusterId, cluster.id), isNull(webhooks.deletedAt)));
    if (existing.length >= MAX_WEBHOOKS_PER_CLUSTER)
      throw new AppError("CONFLICT", `${cluster.name} already has ${MAX_WEBHOOKS_PER_CLUSTER} webhooks; delete one first`);
    const [webhook] = await tx
      .insert(webhooks)
      .values({
        clusterId: cluster.id,
        url: parsed.data.url,
        events: parsed.data.events,
        encryptedSecret: encryptSecret(secret, masterKey),
        createdBy: actor.label,
      })
      .returning({ id: webhooks.id, url: webhooks.url, events: webhooks.events });
    await recordAuditEvent(tx, actor, {
      action: "webhook.create",
      objectType: "webhook",
      objectId: webhook!.id,
      clusterId: cluster.id,
      details: { url: webhook!.url, events: webhook!.events },
    });
    return { ...webhook!, secret };
  });
}

/** Stops a webhook; its pending deliveries are dropped at their next attempt, its log is kept. */
export async function deleteWebhook(db: Database, actor: Actor, webhookId: string) {
  const notFound = new AppError("NOT_FOUND", `webhook ${JSON.stringify(webhookId)} not found`);
  if (!isUuid(webhookId)) throw notFound;
  const { webhooks } = schema;
  const [webhook] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, webhookId), isNull(webhooks.deletedAt)));
  if (!webhook) throw notFound;
  await getClusterOrThrow(db, actor, webhook.clusterId).catch(() => Promise.reject(notFound));
  assertAllowed(actor, "cluster:manage", { clusterId: webhook.clusterId });
  await db.transaction(async (tx) => {
    await tx.update(webhooks).set({ deletedAt: new Date() }).where(eq(webhooks.id, webhookId));
    await recordAuditEvent(tx, actor, {
      action: "webhook.delete",
      objectType: "webhook",
      objectId: webhookId,
      clusterId: webhook.clusterId,
      details: { url: webhook.url },
    });
  });
  return { url: webhook.url };
}

/** The cluster's webhooks with their 20 latest deliveries each (what the settings page shows). */
export async function listWebhooks(db: Executor, actor: Actor, clusterRef: string) {
  const cluster = await getClusterOrThrow(db, actor, clusterRef);
  assertAllowed(actor, "cluster:manage", { clusterId: cluster.id });
  const { webhooks, webhookDeliveries: d } = schema;
  const rows = await db
    .select({ id: webhooks.id, url: webhooks.url, events: webhooks.events, createdAt: webhooks.createdAt, createdBy: webhooks.createdBy })
    .from(webhooks)
    .where(and(eq(webhooks.clusterId, cluster.id), isNull(webhooks.deletedAt)))
    .orderBy(webhooks.createdAt);
  const deliveries = rows.length
    ? await db
        .select({
          id: d.id,
          webhookId: d.webhookId,
          event: d.event,
          status: d.status,
          attempts: d.attempts,
          lastStatusCode: d.lastStatusCode,
          lastError: d.lastError,
          createdAt: d.createdAt,
          nextAttemptAt: d.nextAttemptAt,
        })
        .from(d)
        .where(
          inArray(
            d.webhookId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(desc(d.createdAt))
        .limit(20 * rows.length)
    : [];
  return rows.map((row) => ({ ...row, deliveries: deliveries.filter((delivery) => delivery.webhookId === row.id).slice(0, 20) }));
}
