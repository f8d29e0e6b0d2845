import "server-only";
import { betterAuth } from "better-auth";
import { eq } from "drizzle-orm";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { schema } from "@/lib/db";
import { getRuntime } from "@/lib/runtime/bootstrap";
import { loadAuthSecret } from "./auth-secret";
import { oidcSessionPlugin } from "./oidc-session-plugin";
import { clientAddressHeader } from "./request-info";
import { trustedOrigins } from "./request-origin.mjs";

const SESSION_DAYS = 7;

async function createAuth() {
  const { config, database } = await getRuntime();
  const port = process.env.PORT ?? "3000";
  const addressHeader = clientAddressHeader();
  return betterAuth({
    appName: "cluster-tls",
    secret: loadAuthSecret(config.dataDir),
    baseURL: process.env.BETTER_AUTH_URL ?? `http://localhost:${port}`,
    // Users reach a self-hosted app by several names; requests from any other origin are refused
    // (the same list form posts and downloads are checked against: lib/auth/request-origin.mjs).
    trustedOrigins: trustedOrigins(),
    database: drizzleAdapter(database.db, {
      provider: "pg",
      usePlural: true,
      schema: { users: schema.users, sessions: schema.sessions, accounts: schema.accounts, verifications: schema.verifications },
    }),
    emailAndPassword: { enabled: true, minPasswordLength: 12, maxPasswordLength: 256, autoSignIn: false, disableSignUp: true },
    user: {
      additionalFields: { role: { type: "string", required: false, defaultValue: "developer", input: false } },
    },
    session: { expiresIn: SESSION_DAYS * 86_400, updateAge: 86_400 },
    // Login throttling is ours (lib/auth/login-throttle.ts): better-auth's limiter lives per process.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: "cluster-tls",
      useSecureCookies: process.env.BETTER_AUTH_URL?.startsWith("https://") ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      // A session's address is the one throttles and audit rows use, not a client-written
      // X-Forwarded-For (better-auth's default); unknown where no server sets it.
      ipAddress: addressHeader ? { ipAddressHeaders: [addressHeader] } : { disableIpTracking: true },
    },
    databaseHooks: {
      session: {
        create: {
          // A disabled account keeps its password but may not start new sessions.
          before: async (session) => {
            const [user] = await database.db
              .select({ disabledAt: schema.users.disabledAt })
              .from(schema.users)
              .where(eq(schema.users.id, session.userId));
            return user && !user.disabledAt ? undefined : false;
          },
        },
      },
    },
    telemetry: { enabled: false },
    plugins: [nextCookies(), oidcSessionPlugin()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

const globalForAuth = globalThis as typeof globalThis & { __clusterTlsAuth?: Promise<Auth> };

/** better-auth needs the database, which opens lazily: so does auth. */
export function getAuth(): Promise<Auth> {
  globalForAuth.__clusterTlsAuth ??= createAuth().catch((error: unknown) => {
    globalForAuth.__clusterTlsAuth = undefined;
    throw error;
  });
  return globalForAuth.__clusterTlsAuth;
}
