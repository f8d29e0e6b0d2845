import "server-only";
import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthEndpoint } from "better-auth/api";
import { setSessionCookie } from "better-auth/cookies";
import { z } from "zod";

/**
 * Starts a better-auth session for a user whom single sign-on has just vouched for, with the same
 * cookie and session hooks (a disabled account is refused) as a password sign-in. Server-only: no
 * HTTP route serves better-auth's endpoints, so only our callback can call it.
 */
export function oidcSessionPlugin() {
  return {
    id: "cluster-tls-oidc-session",
    endpoints: {
      startOidcSession: createAuthEndpoint(
        "/cluster-tls/oidc-session",
        { method: "POST", body: z.object({ userId: z.string().min(1) }), metadata: { SERVER_ONLY: true } },
        async (ctx) => {
          const user = await ctx.context.internalAdapter.findUserById(ctx.body.userId);
          if (!user) throw new APIError("UNAUTHORIZED", { message: "unknown user" });
          const session = await ctx.context.internalAdapter.createSession(user.id);
          if (!session) throw new APIError("UNAUTHORIZED", { message: "session refused" });
          await setSessionCookie(ctx, { session, user });
          return ctx.json({ userId: user.id });
        },
      ),
    },
  } satisfies BetterAuthPlugin;
}
