import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { cookies } from "next/headers";
import { connection } from "next/server";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SsoSignIn } from "@/components/auth/sso-sign-in";
import { readSsoError, SSO_ERROR_COOKIE } from "@/lib/auth/oidc-cookies";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { visitorContext } from "@/lib/auth/session-context";
import { readSignInSettings } from "@/lib/config/sign-in-settings";
import { isSetupPending } from "@/lib/services/users/is-setup-pending";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await connection();
  const { db, actor } = await visitorContext();
  if (await isSetupPending(db)) redirect("/setup");
  if (actor.type === "user") redirect("/");
  const { next } = await searchParams;
  const { oidc, passwordSignIn } = readSignInSettings();
  const ssoError = (await cookies()).get(SSO_ERROR_COOKIE)?.value;
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold text-slate-900">Sign in</h1>
      {oidc ? (
        <>
          <p className="mb-6 text-sm text-slate-500">Use your company account.</p>
          <SsoSignIn providerName={oidc.providerName} next={safeNextPath(next)} error={readSsoError(ssoError)} />
          <p className="my-6 text-center text-xs text-slate-500">
            {passwordSignIn === "all" ? "or with a password" : "Password sign-in is reserved for break-glass administrators"}
          </p>
        </>
      ) : (
        <p className="mb-6 text-sm text-slate-500">Use the account an administrator created for you.</p>
      )}
      <SignInForm next={safeNextPath(next)} />
    </>
  );
}
