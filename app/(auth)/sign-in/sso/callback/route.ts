import { NextResponse, type NextRequest } from "next/server";
import { getAuth } from "@/lib/auth/auth";
import { appOriginOf, cookieAttributes, SSO_ERROR_COOKIE, SSO_STATE_COOKIE } from "@/lib/auth/oidc-cookies";
import { completeOidcSignIn, OIDC_CALLBACK_PATH } from "@/lib/auth/oidc-sign-in";
import { requestInfoFrom } from "@/lib/auth/request-info";
import { readSignInSettings } from "@/lib/config/sign-in-settings";
import { AppError } from "@/lib/errors/app-error";
import { requestContextFor } from "@/lib/runtime/request-context";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";

/**
 * The redirect URI. A GET that signs someone in: OAuth 2.0 returns the browser here with a GET
 * (RFC 6749 §4.1.2), and the one-time request it consumes is what makes a replay fail.
 */
export async function GET(request: NextRequest) {
  const { oidc } = readSignInSettings();
  if (!oidc) return NextResponse.json({ error: { code: "NOT_FOUND", message: "single sign-on is not configured" } }, { status: 404 });
  const origin = appOriginOf(request.url);
  const callbackUrl = new URL(`${OIDC_CALLBACK_PATH}${request.nextUrl.search}`, origin);
  const requestInfo = requestInfoFrom(request.headers);
  const { db, actor } = await requestContextFor(
    { type: "anonymous" as const, label: `single sign-on (${oidc.providerName})`, ...requestInfo },
    requestInfo,
  );
  try {
    const { user, next } = await completeOidcSignIn(db, actor, oidc, {
      callbackUrl,
      browserState: request.cookies.get(SSO_STATE_COOKIE)?.value,
    });
    const { headers } = await (
      await getAuth()
    ).api.startOidcSession({ body: { userId: user.id }, headers: request.headers, returnHeaders: true });
    await recordAuditEvent(
      db,
      { type: "user", id: user.id, label: user.email, role: user.role, ...requestInfo },
      {
        action: "auth.sign_in",
        objectType: "user",
        objectId: user.id,
        details: { method: "oidc", provider: oidc.providerName },
      },
    );
    const response = NextResponse.redirect(new URL(next, origin), 303);
    for (const cookie of headers.getSetCookie()) response.headers.append("set-cookie", cookie);
    response.cookies.set(SSO_STATE_COOKIE, "", cookieAttributes(OIDC_CALLBACK_PATH, 0));
    return response;
  } catch (error) {
    const message = error instanceof AppError ? error.message : "single sign-on failed; the server log has the details";
    if (!(error instanceof AppError)) console.error("single sign-on callback failed:", error);
    await recordAuditEvent(db, actor, {
      action: "auth.sign_in",
      outcome: error instanceof AppError && error.code === "FORBIDDEN" ? "denied" : "failure",
      details: { method: "oidc", reason: message },
    });
    const response = NextResponse.redirect(new URL("/sign-in", origin), 303);
    response.cookies.set(SSO_STATE_COOKIE, "", cookieAttributes(OIDC_CALLBACK_PATH, 0));
    response.cookies.set(SSO_ERROR_COOKIE, message.slice(0, 600), cookieAttributes("/sign-in", 60));
    return response;
  }
}
