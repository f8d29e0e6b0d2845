import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigError } from "@/lib/config/errors";

/**
 * better-auth signs session cookies with this secret and answers 500 to every call without one.
 * Like the master key, it is generated into the data dir on first start so
 * `npm start` needs no configuration; BETTER_AUTH_SECRET overrides it.
 */
export function loadAuthSecret(dataDir: string, envSecret = process.env.BETTER_AUTH_SECRET): string {
  if (envSecret) {
    if (envSecret.length < 32) throw new ConfigError("BETTER_AUTH_SECRET must be at least 32 characters");
    return envSecret;
  }
  const file = path.join(dataDir, "auth.secret");
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new ConfigError(`cannot create ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  const secret = fs.readFileSync(file, "utf8").trim();
  if (secret.length < 32) throw new ConfigError(`${file} is too short to be an auth secret; delete it to generate a new one`);
  return secret;
}
