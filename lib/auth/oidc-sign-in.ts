import "server-only";
import type { Actor } from "@/lib/access/actor";
import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors/app-error";
import { consumeOidcSignInRequest, saveOidcSignInRequest } from "@/lib/services/users/oidc-sign-in-requests";
import { syncOidcUser } from "@/lib/services/users/sync-oidc-user";
import type { TOidcSettings } from "@/lib/validations/oidc";
import { beginOidcSignIn, finishOidcSignIn } from "./oidc-flow";

/** Where the provider sends the browser back; registered at the provider as the redirect URI. */
export const OIDC_CALLBACK_PATH = "/sign-in/sso/callback";

/** Starts a sign-in: the request is kept server-side; the browser carries its `state` in a cookie. */
export async function startOidcSignIn(db: Database, settings: TOidcSettings, { appOrigin, next }: { appOrigin: string; next: string }) {
  const { url, transaction } = await beginOidcSignIn(settings, new URL(OIDC_CALLBACK_PATH, appOrigin).href, next);
  await saveOidcSignInRequest(db, transaction);
  return { url, state: transaction.state };
}

/**
 * The redirect back: the `state` must be the one this browser started with (login CSRF), and
 * unused (a replay finds nothing); the library then checks code, PKCE and ID token, and the user
 * is brought in line with their groups. Returns the user and where to go next.
 */
export async function completeOidcSignIn(
  db: Database,
  actor: Actor,
  settings: TOidcSettings,
  { callbackUrl, browserState }: { callbackUrl: URL; browserState: string | undefined },
) {
  const state = callbackUrl.searchParams.get("state");
  if (!state || !browserState || state !== browserState) {
    throw new AppError(
      "UNAUTHENTICATED",
      "single sign-on failed: the state returned by the identity provider does not match the sign-in this browser started",
    );
  }
  const request = await consumeOidcSignInRequest(db, state);
  if (!request)
    throw new AppError("UNAUTHENTICATED", "single sign-on failed: this sign-in request is unknown, expired or already used; start again");
  const identity = await finishOidcSignIn(settings, callbackUrl, request);
  const user = await syncOidcUser(db, actor, { identity, groupMap: settings.groupMap });
  return { user, next: request.next, identity };
}
