import "server-only";
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { AppError } from "@/lib/errors/app-error";

/** Where `npm run build` (scripts/build-tools.mjs) writes the agent: one file, Node ≥ 18, no npm install. */
const AGENT_BUNDLE_PATH = path.join(process.cwd(), "dist", "cluster-tls.mjs");

/** The built agent and its SHA-256 (hex, as `sha256sum` prints it), re-read when the file changes. */
export async function readAgentBundle(): Promise<{ body: Buffer; sha256: string }> {
  const body = await fs.readFile(AGENT_BUNDLE_PATH).catch(() => {
    throw new AppError("NOT_FOUND", "the agent is not built on this server: run `npm run build`");
  });
  return { body, sha256: createHash("sha256").update(body).digest("hex") };
}
