import "server-only";
import { randomUUID } from "node:crypto";
import { count, sql } from "drizzle-orm";
import { schema, type Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { assertAllowed } from "@/lib/access/permissions";
import type { Actor } from "@/lib/access/actor";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { validationError } from "@/lib/validations/field-errors";
import { ZCreateUserInput, type TCreateUserInput } from "@/lib/validations/users";

export type CreateUserParams = {
  db: Database;
  actor: Actor;
  input: TCreateUserInput;
  /** better-auth's password hasher (scrypt), so sign-in can verify what we store. */
  hashPassword: (password: string) => Promise<string>;
  /** The one-time /setup page and `cli admin create` on an empty database: only while no user exists. */
  onlyIfNoUsers?: boolean;
};

// Serialises first-admin creation so two concurrent /setup submissions cannot both succeed.
const FIRST_USER_LOCK = BigInt("0x63746c732d757372"); // "ctls-usr"

/** Creates a user with a credential account, in one transaction with its audit row. */
export async function createUser({ db, actor, input, hashPassword, onlyIfNoUsers = false }: CreateUserParams) {
  const parsed = ZCreateUserInput.safeParse(input);
  if (!parsed.success) {
    throw validationError(parsed.error, "invalid user");
  }
  if (!onlyIfNoUsers) assertAllowed(actor, "users:manage");
  const { email, name, role, password } = parsed.data;
  const passwordHash = await hashPassword(password);

  return db.transaction(async (tx) => {
    if (onlyIfNoUsers) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${FIRST_USER_LOCK.toString()})`);
      const [existing] = await tx.select({ n: count() }).from(schema.users);
      if ((existing?.n ?? 0) > 0) throw new AppError("CONFLICT", "setup is already complete: an account exists");
    }
    const [duplicate] = await tx
      .select({ id: schema.users.id })
      .from(schema.users)
      .where(sql`lower(${schema.users.email}) = ${email}`);
    if (duplicate) throw new AppError("CONFLICT", `a user with email ${email} already exists`, { email: ["Already in use"] });

    const id = randomUUID();
    const [user] = await tx.insert(schema.users).values({ id, email, name, role, emailVerified: true }).returning();
    await tx
      .insert(schema.accounts)
      .values({ id: randomUUID(), userId: id, accountId: id, providerId: "credential", password: passwordHash });
    await recordAuditEvent(tx, actor, { action: "user.create", objectType: "user", objectId: id, details: { email, role } });
    return user!;
  });
}
