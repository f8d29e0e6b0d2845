import { z } from "zod";
import { WEBHOOK_EVENTS } from "@/lib/db/schema/webhooks";
import { isPrivateHost, privateTargetsAllowed, PRIVATE_TARGET_MESSAGE } from "@/lib/webhooks/private-address";

/**
 * An http(s) URL without credentials (they would show in the list), at most 2,048 characters,
 * whose host is not loopback or private by its very name (names that resolve to such an address
 * are refused by the service, and again when delivering).
 */
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
  }, "An http:// or https:// URL without user or password")
  .refine((value) => privateTargetsAllowed() || !isPrivateHost(hostnameOf(value)), PRIVATE_TARGET_MESSAGE);

function hostnameOf(value: string): string {
  try {
    return new URL(value).hostname; // WHATWG URL normalises 0x7f.1 and 2130706433 to 127.0.0.1
  } catch {
    return "";
  }
}

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
