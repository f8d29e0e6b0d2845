import { z } from "zod";
import { USER_ROLES } from "@/lib/db/schema/enums";
import { emptyToUndefined } from "./empty-to-undefined";

/** The fields; ZCreateApiTokenInput adds the rule tying `user` to the role. */
export const ZApiTokenFields = z.object({
  name: z.string().trim().min(1, "Name the token (e.g. the machine that uses it)").max(100),
  role: z.enum(USER_ROLES, { message: `Role must be one of ${USER_ROLES.join(", ")}` }),
  /** Cluster ids or names; empty = every cluster (for a developer token: every cluster its developer is granted). */
  clusters: z.array(z.string().trim().min(1)).max(100).default([]),
  /** Days until it expires; null = never. */
  days: z.coerce.number().int().min(1, "At least 1 day").max(3650, "At most 3650 days").nullable().default(90),
  /**
   * The developer (id or email) a developer token acts for: grants belong to people, so a
   * developer token without one would be granted nothing.
   */
  user: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(320).optional()),
});

export const ZCreateApiTokenInput = ZApiTokenFields.superRefine((input, ctx) => {
  if (input.role === "developer" && input.user === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["user"],
      message: "A developer token acts for a developer: choose whose cluster grants it carries",
    });
  }
  if (input.role !== "developer" && input.user !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["user"],
      message: `Only developer tokens act for a user; an ${input.role} token acts on its own`,
    });
  }
});
export type TCreateApiTokenInput = z.input<typeof ZCreateApiTokenInput>;
