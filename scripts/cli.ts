// Operations CLI: `npm run cli -- <command>`. Works with the server stopped (opens the database)
// and running (goes through it, since the embedded database belongs to one process).
import fs from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { USER_ROLES, type UserRole } from "@/lib/db/schema/enums";
import { describeError } from "@/lib/errors/describe-error";
import type { CliCommand, CliResult } from "@/lib/cli/run-cli-command";
import { parseBackup } from "@/lib/services/backup/backup-file";

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new Error('--password-stdin expects the password on standard input (e.g. printf %s "$PW" | …)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function run(command: CliCommand, handle: (result: CliResult) => void = print): Promise<void> {
  try {
    // Loaded on first use: the database and runtime modules take a second to import, which a
    // refused argument or a file that is no backup should not wait for.
    const { executeCliCommand } = await import("./cli/execute");
    handle(await executeCliCommand(command));
  } catch (error) {
    console.error(`error: ${describeError(error)}`);
    process.exitCode = 1;
  }
}

function print(result: CliResult): void {
  console.error(result.message);
  if (result.payload) console.log(result.payload);
}

function positiveDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new InvalidArgumentError("days must be a whole number from 1 to 3650");
  return days;
}

function role(value: string): UserRole {
  if (!(USER_ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`role must be one of ${USER_ROLES.join(", ")}`);
  return value as UserRole;
}

const program = new Command("cluster-tls").description("cluster-tls operations").showHelpAfterError();

const admin = program.command("admin").description("administrators");
admin
  .command("create")
  .description("create an admin account (the first one, or another when run on the server's machine)")
  .requiredOption("--email <email>", "sign-in email")
  .option("--password-stdin", "read the password from standard input (required: never pass it as an argument)")
  .option("--name <name>", "display name")
  .action(async (options: { email: string; name?: string; passwordStdin?: boolean }) => {
    if (!options.passwordStdin) {
      console.error("error: give the password on standard input with --password-stdin (arguments show up in `ps` and shell history)");
      process.exit(2);
    }
    const password = await readStdin().catch((error: Error) => {
      console.error(`error: ${error.message}`);
      process.exit(2);
    });
    await run({ name: "admin-create", email: options.email, password, displayName: options.name });
  });

program
  .command("token")
  .description("API tokens")
  .command("create")
  .description("create an API token for /api/v1 (printed once on stdout)")
  .requiredOption("--role <role>", `one of ${USER_ROLES.join(", ")}`, role)
  .option("--user <email>", "developer tokens: the developer it acts for (it carries their cluster grants)")
  .option("--cluster <cluster...>", "limit to these clusters (id or name); default: all (a developer token: all granted to its developer)")
  .option("--days <n>", "days until it expires (default 90)", positiveDays, 90)
  .option("--no-expiry", "never expires")
  .option("--name <name>", "what uses the token", "cli")
  .action((options: { role: UserRole; user?: string; cluster?: string[]; days: number; expiry: boolean; name: string }) =>
    run({
      name: "token-create",
      role: options.role,
      user: options.user,
      clusters: options.cluster ?? [],
      days: options.expiry ? options.days : null,
      tokenName: options.name,
    }),
  );

program
  .command("backup")
  .description("write a consistent snapshot of the database (private keys stay encrypted)")
  .requiredOption("--out <file>", "where to write the backup (created with mode 0600)")
  .action((options: { out: string }) =>
    run({ name: "backup" }, (result) => {
      fs.writeFileSync(options.out, result.payload ?? "", { mode: 0o600 });
      console.error(`${result.message} → ${options.out}`);
    }),
  );

program
  .command("restore")
  .description("restore a backup into an empty database")
  .requiredOption("--in <file>", "a file written by `backup`")
  .action(async (options: { in: string }) => {
    let text: string;
    try {
      text = fs.readFileSync(options.in, "utf8");
    } catch (error) {
      console.error(`error: cannot read ${options.in}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      process.exitCode = 1;
      return;
    }
    // Check the file before opening (creating, migrating) any database: a file that is no backup
    // is refused in milliseconds and leaves the data directory as it was.
    try {
      parseBackup(text);
    } catch (error) {
      console.error(`error: ${describeError(error)}`);
      process.exitCode = 1;
      return;
    }
    await run({ name: "restore", text });
  });

program
  .command("master-key")
  .description("the key that encrypts private keys at rest")
  .command("rotate")
  .description("re-encrypt every stored private key under a new master key (the prepared master.key.next, if any), in short batches")
  .option("--prepare", "only write the new key as master.key.next (0600), for other instances to adopt first; re-encrypt nothing")
  .addHelpText(
    "after",
    `
With a server running on this data dir, the command goes through it, so it switches its key in place.

Several instances on one PostgreSQL (other hosts or data dirs):
  1. master-key rotate --prepare      on one instance
  2. copy its master.key.next into every other instance's data dir as master.key.next (mode 0600);
     each server logs "master key <id> from … adopted" within seconds
  3. master-key rotate                on any of them (it uses the prepared key)
Every server encrypts under the new key once the rotation starts; once it ends, each drops the old
key and renames its master.key.next over master.key (a stopped instance does so when it starts).`,
  )
  .action((options: { prepare?: boolean }) => run({ name: "master-key-rotate", prepare: options.prepare === true }));

program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
await program.parseAsync(process.argv);
