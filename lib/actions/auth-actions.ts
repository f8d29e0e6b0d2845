"use server";

import { APIError } from "better-auth/api";
import { sql } from "drizzle-orm";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { schema } from "@/lib/db";
import { getAuth } from "@/lib/auth/auth";
import { anonymousContext, requireSessionContext } from "@/lib/auth/session-context";
import { clearLoginFailures, loginRetryAfterSeconds, recordLoginFailure } from "@/lib/auth/login-throttle";
import { appOriginOf, cookieAttributes, SSO_STATE_COOKIE } from "@/lib/auth/oidc-cookies";
import { OIDC_CALLBACK_PATH, startOidcSignIn } from "@/lib/auth/oidc-sign-in";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { passwordSignInAllowed, readSignInSettings } from "@/lib/config/sign-in-settings";
import { recordAuditEvent } from "@/lib/services/audit/record-audit-event";
import { createUser } from "@/lib/services/users/create-user";
import { fieldErrorsOf } from "@/lib/validations/field-errors";
import { ZChangePasswordInput, ZSetupInput, ZSignInInput } from "@/lib/validations/users";
import { echoValues, invalidInput, toActionError, type ActionResult } from "./action-result";
import { formDataToObject } from "./user-action";

const BAD_CREDENTIALS = "Email or password is incorrect.";

export async function signInAction(_previous: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const parsed = ZSignInInput.safeParse(formDataToObject(formData));
  if (!parsed.success) {
    return invalidInput(fieldErrorsOf(parsed.error), formData);
  }
  const { email, password } = parsed.data;
  const requestHeaders = await headers();
  // Anonymous until the password checks out: a failed attempt is audited under the email it claimed.
  const { db, actor, requestInfo: info } = await anonymousContext(email);

  const settings = readSignInSettings();
  if (!passwordSignInAllowed(settings, email)) {
    // Checked before the password, so the answer does not tell whether the password was right.
    await recordAuditEvent(db, actor, {
      action: "auth.sign_in",
      outcome: "denied",
      details: { reason: "password sign-in is limited to break-glass admins" },
    });
    const sso = settings.oidc ? ` Use "Sign in with ${settings.oidc.providerName}".` : "";
    return {
      ok: false,
      error: {
        code: "FORBIDDEN",
        message: `Password sign-in is turned off except for break-glass administrators.${sso}`,
        values: echoValues(formData),
      },
    };
  }
  const waitSeconds = loginRetryAfterSeconds(email, info.ipAddress);
  if (waitSeconds > 0) {
    return {
      ok: false,
      error: {
        code: "RATE_LIMITED",
        message: `Too many failed sign-ins. Try again in ${waitSeconds} seconds.`,
        values: echoValues(formData),
      },
    };
  }
  try {
    await (await getAuth()).api.signInEmail({ body: { email, password }, headers: requestHeaders });
  } catch (error) {
    if (!(error instanceof APIError)) return { ok: false, error: { ...toActionError(error), values: echoValues(formData) } };
    recordLoginFailure(email, info.ipAddress);
    await recordAuditEvent(db, actor, {
      action: "auth.sign_in",
      outcome: "failure",
      details: { reason: "bad credentials or disabled account" },
    });
    return { ok: false, error: { code: "UNAUTHENTICATED", message: BAD_CREDENTIALS, values: echoValues(formData) } };
  }
  clearLoginFailures(email);
  const [user] = await db
    .select()
    .from(schema.users)
    .where(sql`lower(${schema.users.email}) = ${email}`);
  if (user) {
    await recordAuditEvent(
      db,
      { type: "user", id: user.id, label: user.email, role: user.role, ...info },
      {
        action: "auth.sign_in",
        objectType: "user",
        objectId: user.id,
      },
    );
  }
  redirect(safeNextPath(formData.get("next")));
}

/**
 * "Sign in with <provider>": stores the sign-in request, gives the browser its `state` cookie and
 * sends it to the provider. A server action, not a form post answered with a redirect: the
 * Content-Security-Policy's form-action 'self' would stop a form's redirect to another origin.
 */
export async function startSsoSignInAction(_previous: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const { oidc } = readSignInSettings();
  if (!oidc) return { ok: false, error: { code: "NOT_FOUND", message: "Single sign-on is not configured." } };
  const next = safeNextPath(formData.get("next"));
  const requestHeaders = await headers();
  const host = requestHeaders.get("x-forwarded-host")?.split(",")[0]?.trim() || requestHeaders.get("host") || "localhost";
  const { db } = await anonymousContext("single sign-on");
  let url: URL;
  try {
    const started = await startOidcSignIn(db, oidc, { appOrigin: appOriginOf(`http://${host}`), next });
    (await cookies()).set(SSO_STATE_COOKIE, started.state, cookieAttributes(OIDC_CALLBACK_PATH, 600));
    url = started.url;
  } catch (error) {
    return { ok: false, error: toActionError(error) };
  }
  redirect(url.href);
}

export async function signOutAction(): Promise<void> {
  const { db, actor: user } = await requireSessionContext();
  await (await getAuth()).api.signOut({ headers: await headers() });
  await recordAuditEvent(db, user, { action: "auth.sign_out", objectType: "user", objectId: user.id });
  redirect("/sign-in");
}

/** The one-time /setup page: creates the first admin, then signs them in. */
export async function setupAction(_previous: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const parsed = ZSetupInput.safeParse(formDataToObject(formData));
  if (!parsed.success) {
    return invalidInput(fieldErrorsOf(parsed.error), formData);
  }
  const { email, name, password } = parsed.data;
  const requestHeaders = await headers();
  const auth = await getAuth();
  const { db, actor } = await anonymousContext(`setup (${email})`);
  try {
    await createUser({
      db,
      actor,
      input: { email, name, password, role: "admin" },
      hashPassword: (await auth.$context).password.hash,
      onlyIfNoUsers: true,
    });
  } catch (error) {
    return { ok: false, error: { ...toActionError(error), values: echoValues(formData) } };
  }
  await auth.api.signInEmail({ body: { email, password }, headers: requestHeaders });
  redirect("/");
}

export async function changePasswordAction(_previous: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const { db, actor: user } = await requireSessionContext();
  const parsed = ZChangePasswordInput.safeParse(formDataToObject(formData));
  if (!parsed.success) {
    return invalidInput(fieldErrorsOf(parsed.error), formData);
  }
  try {
    await (
      await getAuth()
    ).api.changePassword({
      body: { currentPassword: parsed.data.currentPassword, newPassword: parsed.data.newPassword, revokeOtherSessions: true },
      headers: await headers(),
    });
  } catch (error) {
    if (error instanceof APIError) {
      return {
        ok: false,
        error: {
          code: "VALIDATION_FAILED",
          message: "The current password is incorrect.",
          fieldErrors: { currentPassword: ["Incorrect password"] },
        },
      };
    }
    return { ok: false, error: toActionError(error) };
  }
  await recordAuditEvent(db, user, { action: "auth.change_password", objectType: "user", objectId: user.id });
  return { ok: true, data: undefined };
}
