import fs from "node:fs";
import path from "node:path";
import { randomBytes, timingSafeEqual } from "node:crypto";

/**
 * While the server owns the embedded database, the CLI talks to it instead of opening the
 * directory (two PGlite openers corrupt it). The server writes its port and a random secret into
 * the data dir (0600): whoever can read them could read master.key too, so this grants nothing new.
 */
export type ServerChannel = { port: number; pid: number; secret: string };

function files(dataDir: string) {
  return { info: path.join(dataDir, "server.json"), secret: path.join(dataDir, "cli.secret") };
}

export function publishServerChannel(dataDir: string, port: number): void {
  const { info, secret } = files(dataDir);
  if (!fs.existsSync(secret)) fs.writeFileSync(secret, randomBytes(32).toString("base64url"), { mode: 0o600 });
  fs.writeFileSync(info, JSON.stringify({ port, pid: process.pid }), { mode: 0o600 });
}

export function withdrawServerChannel(dataDir: string): void {
  fs.rmSync(files(dataDir).info, { force: true });
}

export function readServerChannel(dataDir: string): ServerChannel | null {
  const { info, secret } = files(dataDir);
  try {
    const { port, pid } = JSON.parse(fs.readFileSync(info, "utf8")) as { port: number; pid: number };
    return { port, pid, secret: fs.readFileSync(secret, "utf8").trim() };
  } catch {
    return null;
  }
}

/**
 * The channel of a server that is still running. server.json outlives a server that was killed
 * (its exit handler never ran), so the pid is checked: signal 0 tests for existence only.
 */
export function readLiveServerChannel(dataDir: string): ServerChannel | null {
  const channel = readServerChannel(dataDir);
  if (!channel) return null;
  try {
    process.kill(channel.pid, 0);
    return channel;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM" ? channel : null; // EPERM: alive, another user's
  }
}

export function isValidCliSecret(dataDir: string, presented: string | null): boolean {
  if (!presented) return false;
  try {
    const expected = Buffer.from(fs.readFileSync(files(dataDir).secret, "utf8").trim());
    const given = Buffer.from(presented);
    return expected.length === given.length && timingSafeEqual(expected, given);
  } catch {
    return false;
  }
}
