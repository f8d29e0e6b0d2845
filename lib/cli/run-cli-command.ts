import "server-only";
import { hashPassword } from "better-auth/crypto";
import type { Actor } from "@/lib/access/actor";
import { AppError } from "@/lib/errors/app-error";
import type { Runtime } from "@/lib/runtime/bootstrap";
import { createBackup } from "@/lib/services/backup/create-backup";
import { restoreBackup } from "@/lib/services/backup/restore-backup";
import { createApiToken } from "@/lib/services/tokens/create-api-token";
import { createUser } from "@/lib/services/users/create-user";
import { isSetupPending } from "@/lib/services/users/is-setup-pending";
import type { UserRole } from "@/lib/db/schema/enums";
import { prepareKeyRotation, rotateKey } from "./master-key-commands";

/** Operations the CLI performs, whether it opened the database itself or asked the running server. */
export type CliCommand =
  | { name: "admin-create"; email: string; password: string; displayName?: string }
  | { name: "token-create"; role: UserRole; user?: string; clusters: string[]; days: number | null; tokenName: string }
  | { name: "backup" }
  | { name: "restore"; text: string }
  /** prepare: only write master.key.next, for the other instances to adopt before the rotation. */
  | { name: "master-key-rotate"; prepare?: boolean };

export type CliResult = { message: string; payload?: string };

export async function runCliCommand(runtime: Runtime, command: CliCommand, actor: Actor): Promise<CliResult> {
  const { db } = runtime.database;
  switch (command.name) {
    case "admin-create": {
      const user = await createUser({
        db,
        actor,
        input: {
          email: command.email,
          name: command.displayName ?? command.email.split("@")[0] ?? "admin",
          password: command.password,
          role: "admin",
        },
        hashPassword,
        // The very first admin needs no admin to authorise it; later ones are created by the CLI's admin rights.
        onlyIfNoUsers: await isSetupPending(db),
      });
      return { message: `created admin ${user.email} (id ${user.id})` };
    }
    case "token-create": {
      const { token, record } = await createApiToken(db, actor, {
        name: command.tokenName,
        role: command.role,
        user: command.user,
        clusters: command.clusters,
        days: command.days,
      });
      const expiry = record.expiresAt ? `expires ${record.expiresAt.toISOString()}` : "never expires";
      const actsFor = record.actsFor ? ` for ${record.actsFor}` : "";
      return { message: `created ${record.role} token ${record.prefix}${actsFor} (${expiry}); it is shown once:`, payload: token };
    }
    case "backup": {
      const backup = await createBackup(db, actor, runtime.keyRing.current.id);
      const rows = Object.values(backup.tables).reduce((n, rows) => n + rows.length, 0);
      return {
        message: `backup of ${rows} rows (private keys stay encrypted under master key ${backup.masterKeyId})`,
        payload: JSON.stringify(backup),
      };
    }
    case "restore": {
      const counts = await restoreBackup(db, actor, command.text, runtime.keyRing.current.id);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      return { message: `restored ${total} rows into ${Object.keys(counts).length} tables` };
    }
    case "master-key-rotate":
      return command.prepare ? prepareKeyRotation(runtime) : rotateKey(runtime, actor);
  }
}

export function assertCliCommand(value: unknown): CliCommand {
  const name = (value as { name?: unknown })?.name;
  if (typeof name !== "string" || !["admin-create", "token-create", "backup", "restore", "master-key-rotate"].includes(name)) {
    throw new AppError("VALIDATION_FAILED", `unknown CLI command ${JSON.stringify(name)}`);
  }
  return value as CliCommand;
}
