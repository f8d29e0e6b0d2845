"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { createWebhook, deleteWebhook } from "@/lib/services/webhooks/manage-webhooks";
import { ZCreateWebhookInput } from "@/lib/validations/webhooks";
import { userAction } from "./user-action";

export const createWebhookAction = userAction(ZCreateWebhookInput.extend({ clusterId: z.string().uuid() }), async ({ clusterId, ...input }, user) => {
  const { database, keyRing } = await getRuntime();
  const webhook = await createWebhook(database.db, user, keyRing.current, clusterId, input);
  revalidatePath(`/clusters/${clusterId}/settings`);
  return { url: webhook.url, secret: webhook.secret };
});

export const deleteWebhookAction = userAction(z.object({ webhookId: z.string().uuid() }), async ({ webhookId }, user) => {
  const { database } = await getRuntime();
  const result = await deleteWebhook(database.db, user, webhookId);
  revalidatePath("/clusters/[clusterId]/settings", "page");
  return result;
});
