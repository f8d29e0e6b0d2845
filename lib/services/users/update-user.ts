import "server-only";
import { and, count, eq, isNull, ne } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import type { UserRole } from "@/lib/db/schema/enums";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";

type UpdateUserParams = { userId: string; role?: UserRole; disabled?: boolean };

/** Changes a user's role or disables/enables them. The last active admin cannot be removed. */
export async function updateUser(db: Database, actor: Actor, { userId, role, disabled }: UpdateUserParams) {
  assertAllowed(actor, "users:manage");
  return db.transaction(async (tx) => {
    const { users, sessions } = schema;
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw new AppError("NOT_FOUND", `user ${userId} not found`);
    const losesAdmin = user.role === "admin" && !user.disabledAt && ((role !== undefined && role !== "admin") || disabled === true);
    if (losesAdmin) {
      const [others] = await tx
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, userId)));
      if ((others?.n ?? 0) === 0) throw new AppError("CONFLICT", `${user.email} is the last active admin; make someone else admin first`);
    }
    const changes: Partial<typeof users.$inferInsert> = {};
    if (role !== undefined) changes.role = role;
    if (disabled !== undefined) changes.disabledAt = disabled ? (user.disabledAt ?? new Date()) : null;
    // A submission that changes nothing (found by the forms fuzz test: the UPDATE had no columns).
    if (Object.keys(changes).length === 0)
      throw new AppError("VALIDATION_FAILED", "nothing to change: give a role or the disabled state", { role: ["Choose a role"] });
    const [updated] = await tx.update(users).set(changes).where(eq(users.id, userId)).returning();
    // A disabled account is signed out everywhere at once.
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, userId));
    await recordAuditEvent(tx, actor, {
      action: disabled === undefined ? "user.update_role" : disabled ? "user.disable" : "user.enable",
      objectType: "user",
      objectId: userId,
      details: { email: user.email, ...(role !== undefined ? { from: user.role, to: role } : {}) },
    });
    return updated!;
  });
}
