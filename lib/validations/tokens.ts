import { z } from "zod";
import { USER_ROLES } from "@/lib/db/schema/enums";

export const ZCreateApiTokenInput = z.object({
  name: z.string().trim().min(1, "Name the token (e.g. the machine that uses it)").max(100),
  role: z.enum(USER_ROLES, { message: `Role must be one of ${USER_ROLES.join(", ")}` }),
  /** Cluster ids or names; empty = every cluster. */
  clusters: z.array(z.string().trim().min(1)).max(100).default([]),
  /** Days until it expires; null = never. */
  days: z.coerce.number().int().min(1, "At least 1 day").max(3650, "At most 3650 days").nullable().default(90),
});
export type TCreateApiTokenInput = z.input<typeof ZCreateApiTokenInput>;
