"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { createWebhook, deleteWebhook } from "@/lib/services/webhooks/manage-webhooks";
import { ZCreateWebhookInput } from "@/lib/validations/webhooks";
import { userAction } from "./user-action";

export const createWebhookAction = userAction(
  "webhook.create",
  ZCreateWebhookInput.extend({ clusterId: z.string().uuid() }),
  async ({ clusterId, ...input }, { db, actor, keyRing }) => {
    const webhook = await createWebhook(db, actor, keyRing.current, clusterId, input);
    revalidatePath(`/clusters/${clusterId}/settings`);
    return { url: webhook.url, secret: webhook.secret };
  },
);

export const deleteWebhookAction = userAction(
  "webhook.delete",
  z.object({ webhookId: z.string().uuid() }),
  async ({ webhookId }, { db, actor }) => {
    const result = await deleteWebhook(db, actor, webhookId);
    revalidatePath("/clusters/[clusterId]/settings", "page");
    return result;
  },
);
