import { closeDatabase } from "@/lib/db";
import { runCliCommand, type CliCommand, type CliResult } from "@/lib/cli/run-cli-command";
import { getRuntime } from "@/lib/runtime/bootstrap";

/** Runs a command on a database this process opens itself (loaded only when it does). */
export async function runDirectly(command: CliCommand, actorLabel: string): Promise<CliResult> {
  const runtime = await getRuntime();
  try {
    return await runCliCommand(runtime, command, { type: "cli", label: actorLabel });
  } finally {
    await closeDatabase();
  }
}
