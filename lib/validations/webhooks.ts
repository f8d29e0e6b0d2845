import { z } from "zod";
import { WEBHOOK_EVENTS } from "@/lib/db/schema/webhooks";

/** An http(s) URL without credentials (they would show in the list) and at most 2,048 characters. */
const ZWebhookUrl = z
  .string()
  .trim()
  .max(2048, "At most 2,048 characters")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "An http:// or https:// URL without user or password");

export const ZCreateWebhookInput = z.object({
  url: ZWebhookUrl,
  events: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.enum(WEBHOOK_EVENTS, { message: `Events are ${WEBHOOK_EVENTS.join(", ")}` }))
      .min(1, "Choose at least one event")
      .transform((events) => [...new Set(events)]),
  ),
});

export type TCreateWebhookInput = z.input<typeof ZCreateWebhookInput>;
