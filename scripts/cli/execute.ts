import os from "node:os";
import { readConfig } from "@/lib/config";
import { DatabaseLockedError, lockHolder } from "@/lib/db/lock-file";
import { readLiveServerChannel, readServerChannel, type ServerChannel } from "@/lib/cli/server-channel";
import type { CliCommand, CliResult } from "@/lib/cli/run-cli-command";

const cliUser = `cli (${os.userInfo().username}@${os.hostname()})`;

/**
 * Runs a command against the database: directly when this process may open it (PostgreSQL, or
 * an embedded database no server holds), otherwise through the server that owns it.
 *
 * A master-key rotation goes through this data dir's running server even on PostgreSQL: the
 * server must switch its own key ring in place (lib/secrets/key-ring.ts). Done from this process
 * instead, the server would hold only the old key once the sweep moved everything to the new one.
 */
export async function executeCliCommand(command: CliCommand): Promise<CliResult> {
  const config = readConfig();
  if (command.name === "master-key-rotate") {
    const channel = readLiveServerChannel(config.dataDir);
    if (channel) return viaServer(command, channel);
  }
  // An embedded database a live process holds: straight to its server, without loading the code
  // that opens a database (PGlite, drizzle, zod, the services), most of a command's start-up.
  if (config.database.kind === "pglite" && lockHolder(`${config.database.dataDir}.lock`)) return viaRunningServer(command);
  try {
    const { runDirectly } = await import("./direct");
    return await runDirectly(command, cliUser);
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
    return viaRunningServer(command);
  }
}

async function viaRunningServer(command: CliCommand): Promise<CliResult> {
  const { dataDir } = readConfig();
  const channel = readServerChannel(dataDir);
  if (!channel) {
    throw new Error(
      `the embedded database is in use, but no running server announced itself in ${dataDir}/server.json; is another CLI command running?`,
    );
  }
  return viaServer(command, channel);
}

async function viaServer(command: CliCommand, channel: ServerChannel): Promise<CliResult> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${channel.port}/api/internal/cli`, {
      method: "POST",
      headers: { authorization: `Bearer ${channel.secret}`, "content-type": "application/json", "x-cluster-tls-cli-user": cliUser },
      body: JSON.stringify(command),
    });
  } catch (error) {
    throw new Error(
      `the server of this data directory (pid ${channel.pid}, in server.json) does not answer on port ${channel.port}: ${(error as Error).message}`,
    );
  }
  const body = (await response.json()) as CliResult & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `server answered ${response.status}`);
  return body;
}
