import { NextResponse, type NextRequest } from "next/server";
import { cookieAttributes, appOriginOf, SSO_ERROR_COOKIE, SSO_STATE_COOKIE } from "@/lib/auth/oidc-cookies";
import { OIDC_CALLBACK_PATH, startOidcSignIn } from "@/lib/auth/oidc-sign-in";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { anonymousContext } from "@/lib/auth/session-context";
import { readSignInSettings } from "@/lib/auth/sign-in-settings";
import { AppError } from "@/lib/errors/app-error";

/** "Sign in with …": a form POST (it stores the sign-in request), answered with a redirect to the provider. */
export async function POST(request: NextRequest) {
  const { oidc } = readSignInSettings();
  if (!oidc) return NextResponse.json({ error: { code: "NOT_FOUND", message: "single sign-on is not configured" } }, { status: 404 });
  const form = await request.formData().catch(() => null);
  const next = safeNextPath(form?.get("next"));
  const { db } = await anonymousContext("single sign-on");
  try {
    const { url, state } = await startOidcSignIn(db, oidc, { appOrigin: appOriginOf(request.url), next });
    const response = NextResponse.redirect(url, 303);
    response.cookies.set(SSO_STATE_COOKIE, state, cookieAttributes(OIDC_CALLBACK_PATH, 600));
    return response;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // The provider is unreachable or misconfigured (discovery failed): say so on the sign-in page.
    const back = new URL(`/sign-in?next=${encodeURIComponent(next)}`, appOriginOf(request.url));
    const response = NextResponse.redirect(back, 303);
    response.cookies.set(SSO_ERROR_COOKIE, encodeURIComponent(error.message.slice(0, 600)), cookieAttributes("/sign-in", 60));
    return response;
  }
}
