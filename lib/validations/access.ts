import { z } from "zod";
import { USER_ROLES } from "@/lib/db/schema/enums";

/** PostgreSQL role names as a client certificate's CN will carry them (NAMEDATALEN - 1 = 63 bytes). */
export const ZDatabaseUser = z
  .string()
  .trim()
  .min(1)
  .max(63, "PostgreSQL role names are at most 63 bytes")
  .regex(/^[A-Za-z_][A-Za-z0-9_$.-]*$/, "Use letters, digits, _ $ . - (starting with a letter or _)");

/** "app, reporting" or ["app", "reporting"] → a de-duplicated list. */
const ZDatabaseUserList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(ZDatabaseUser).max(100))
  .transform((list) => [...new Set(list)]);

export const ZUpdateUserInput = z.object({
  userId: z.string().min(1),
  role: z.enum(USER_ROLES).optional(),
  disabled: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

export const ZGrantClusterAccessInput = z.object({
  userId: z.string().min(1),
  clusterId: z.string().uuid("Choose a cluster"),
  databaseUsers: ZDatabaseUserList,
});

export const ZRevokeClusterAccessInput = z.object({ userId: z.string().min(1), clusterId: z.string().uuid() });
