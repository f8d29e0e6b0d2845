import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/lib/db";
import { authenticateApiToken, TOKEN_FAILURE_LIMIT } from "@/lib/services/tokens/authenticate-api-token";
import { createApiToken } from "@/lib/services/tokens/create-api-token";

/** Guessing API tokens: each client address gets TOKEN_FAILURE_LIMIT refusals a minute, then 429. */
let dir: string;
let handle: DatabaseHandle;
let valid = "";

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-token-throttle-"));
  handle = await openDatabase({ kind: "pglite", dataDir: dir });
  valid = (await createApiToken(handle.db, { type: "cli", label: "test" }, { name: "ok", role: "auditor", clusters: [], days: 1 })).token;
});
afterAll(async () => {
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const from = (ipAddress: string) => ({ ipAddress, userAgent: "guesser" });
const guess = (i: number) => `ctls_${"g".repeat(8)}_${String(i).padStart(43, "x")}`;

describe("API token guessing", () => {
  it("answers 401 for each unknown token up to the limit, then 429 with the wait, for that address only", async () => {
    for (let i = 0; i < TOKEN_FAILURE_LIMIT.attempts; i++) {
      await expect(authenticateApiToken(handle.db, `Bearer ${guess(i)}`, from("203.0.113.5"))).rejects.toMatchObject({
        code: "UNAUTHENTICATED",
        message: "unknown API token",
      });
    }
    await expect(authenticateApiToken(handle.db, `Bearer ${guess(999)}`, from("203.0.113.5"))).rejects.toMatchObject({
      code: "RATE_LIMITED",
      message: expect.stringMatching(/retry in \d+ s/),
    });
    // The same prefix is now blocked from anywhere (guessing one token's secret across addresses)…
    await expect(authenticateApiToken(handle.db, `Bearer ${guess(1000)}`, from("198.51.100.9"))).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    // …but another client with a real token is not affected.
    await expect(authenticateApiToken(handle.db, `Bearer ${valid}`, from("198.51.100.9"))).resolves.toMatchObject({
      type: "token",
      role: "auditor",
    });
  });
});
