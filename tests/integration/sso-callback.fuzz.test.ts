import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { count } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, type TestOidcProvider } from "@/tests/support/oidc-provider";

// The callback opens the database through the runtime: a throwaway data dir first.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-sso-fuzz-"));
process.env.CLUSTER_TLS_DATA_DIR = dataDir;
process.env.CLUSTER_TLS_JOBS = "off";
delete process.env.DATABASE_URL;

/**
 * Property: whatever comes back to the SSO redirect URI — any query (code, state, iss, error …)
 * with or without a state cookie, even one equal to the query's state — is refused with a
 * redirect to the sign-in page carrying the reason, never a 5xx, never a session or a user.
 */
const RUNS = 300;
let idp: TestOidcProvider;
let closeDb: () => Promise<void>;
let callback: (request: NextRequest) => Promise<Response>;

beforeAll(async () => {
  idp = await startOidcProvider({ redirectUris: ["http://localhost/sign-in/sso/callback"], users: [] });
  process.env.CLUSTER_TLS_OIDC_ISSUER = idp.url;
  process.env.CLUSTER_TLS_OIDC_CLIENT_ID = idp.clientId;
  process.env.CLUSTER_TLS_OIDC_CLIENT_SECRET = idp.clientSecret;
  process.env.CLUSTER_TLS_OIDC_GROUP_MAP = JSON.stringify({ admins: { role: "admin" } });
  closeDb = (await import("@/lib/db")).closeDatabase;
  callback = (await import("@/app/(auth)/sign-in/sso/callback/route")).GET;
});
afterAll(async () => {
  await closeDb?.();
  await idp?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const value = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.constant(""),
  fc.constant("%"),
  fc.constant("access_denied"),
);
const query = fc.dictionary(
  fc.oneof(fc.constantFrom("code", "state", "iss", "error", "error_description", "session_state"), fc.string({ maxLength: 10 })),
  value,
  { maxKeys: 6 },
);

describe("the SSO callback under generated input", () => {
  it(`refuses ${RUNS} generated callbacks with the reason and creates nothing`, async () => {
    const { getRuntime } = await import("@/lib/runtime/bootstrap");
    const { schema } = await import("@/lib/db");
    const { db } = (await getRuntime()).database;
    await fc.assert(
      fc.asyncProperty(query, fc.oneof(fc.constant(undefined), fc.constant("same"), value), async (params, cookieChoice) => {
        const search = new URLSearchParams(params);
        const cookieState = cookieChoice === "same" ? (params.state ?? "") : cookieChoice;
        const headers: Record<string, string> =
          cookieState === undefined ? {} : { cookie: `cluster-tls.sso_state=${encodeURIComponent(cookieState)}` };
        const response = await callback(new NextRequest(`http://localhost/sign-in/sso/callback?${search}`, { headers }));
        expect(response.status).toBe(303);
        expect(new URL(response.headers.get("location")!).pathname).toBe("/sign-in");
        const reason = response.headers.getSetCookie().find((c) => c.startsWith("cluster-tls.sso_error="));
        expect(decodeURIComponent(reason!.split(";")[0]!.split("=")[1]!)).toMatch(/single sign-on failed: .{10,}/);
      }),
      { numRuns: RUNS },
    );
    const [users] = await db.select({ n: count() }).from(schema.users);
    const [sessions] = await db.select({ n: count() }).from(schema.sessions);
    expect([users!.n, sessions!.n]).toEqual([0, 0]);
  });
});
