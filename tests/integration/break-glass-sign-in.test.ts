import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword } from "better-auth/crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The action opens the database through the runtime: a throwaway data dir, password sign-in limited.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-break-glass-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
process.env.CLUSTER_TLS_JOBS = "off";
process.env.CLUSTER_TLS_PASSWORD_SIGN_IN = "break-glass";
process.env.CLUSTER_TLS_BREAK_GLASS_ADMINS = "root@example.com";
delete process.env.DATABASE_URL;

// No Next.js request here: empty request headers, a cookie jar that keeps nothing, redirect as a throw.
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "vitest" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => undefined, delete: () => undefined, toString: () => "" }),
}));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Error(`REDIRECT ${url}`);
  },
}));

const PASSWORD = "a long enough password 1";
let closeDb: () => Promise<void>;

beforeAll(async () => {
  const { getRuntime } = await import("@/lib/runtime/bootstrap");
  const { createUser } = await import("@/lib/services/users/create-user");
  closeDb = (await import("@/lib/db")).closeDatabase;
  const { db } = (await getRuntime()).database;
  for (const [email, role] of [
    ["root@example.com", "admin"],
    ["ada@example.com", "admin"],
  ] as const) {
    await createUser({ db, actor: { type: "cli", label: "test" }, input: { email, name: email, role, password: PASSWORD }, hashPassword });
  }
});
afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const form = (email: string, password: string) => {
  const data = new FormData();
  data.set("email", email);
  data.set("password", password);
  data.set("next", "/");
  return data;
};

describe("CLUSTER_TLS_PASSWORD_SIGN_IN=break-glass", () => {
  it("refuses the right password of an admin who is not break-glass, saying why, and audits the refusal", async () => {
    const { signInAction } = await import("@/lib/actions/auth-actions");
    const result = await signInAction(null, form("ada@example.com", PASSWORD));
    expect(result).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN", message: "Password sign-in is turned off except for break-glass administrators." },
    });
    const { getRuntime } = await import("@/lib/runtime/bootstrap");
    const { schema } = await import("@/lib/db");
    const { db } = (await getRuntime()).database;
    const rows = await db
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, "auth.sign_in"), eq(schema.auditEvents.actorLabel, "ada@example.com")));
    expect(rows.map((r) => r.outcome)).toEqual(["denied"]);
    expect(await db.select().from(schema.sessions)).toEqual([]);
  });

  it("lets a named break-glass admin sign in with their password", async () => {
    const { signInAction } = await import("@/lib/actions/auth-actions");
    await expect(signInAction(null, form("ROOT@example.com", PASSWORD))).rejects.toThrow("REDIRECT /");
  });
});
