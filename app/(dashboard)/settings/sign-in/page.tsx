import type { Metadata } from "next";
import { headers } from "next/headers";
import { forbidden } from "next/navigation";
import { connection } from "next/server";
import { isAllowed } from "@/lib/access/permissions";
import { appOriginOf } from "@/lib/auth/oidc-cookies";
import { OIDC_CALLBACK_PATH } from "@/lib/auth/oidc-sign-in";
import { requireSessionContext } from "@/lib/auth/session-context";
import { readSignInSettings } from "@/lib/config/sign-in-settings";
import { ColumnHeaders } from "@/components/ui/column-headers";

export const metadata: Metadata = { title: "Sign-in" };

/** The sign-in configuration as the environment sets it (read-only; see the README's Single sign-on section). */
export default async function SignInSettingsPage() {
  await connection();
  const { actor: user } = await requireSessionContext();
  if (!isAllowed(user, "users:manage")) forbidden();
  const { oidc, passwordSignIn, breakGlassAdmins } = readSignInSettings();
  const requestHeaders = await headers();
  const origin = appOriginOf(`http://${requestHeaders.get("host") ?? "localhost"}`);
  const row = (label: string, value: string) => (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-all font-mono text-xs leading-5">{value}</dd>
    </>
  );

  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-500">Set by environment variables when the server starts; change them there and restart.</p>
      <section aria-labelledby="sso-heading" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="sso-heading" className="text-base font-semibold">
          Single sign-on (OpenID Connect)
        </h2>
        {oidc ? (
          <>
            <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1.5 text-sm">
              {row("Provider name", oidc.providerName)}
              {row("Issuer", oidc.issuer)}
              {row("Client ID", oidc.clientId)}
              {row("Client secret", "set (not shown)")}
              {row("Scopes", oidc.scopes)}
              {row("Groups claim", oidc.groupsClaim)}
              {row("Redirect URI to register", new URL(OIDC_CALLBACK_PATH, origin).href)}
            </dl>
            <table className="mt-5 min-w-full divide-y divide-slate-100 text-sm" aria-label="Group mapping">
              <ColumnHeaders columns={["Group", "Role", "Clusters and database users"]} cell="px-3 py-2" />
              <tbody className="divide-y divide-slate-100">
                {Object.entries(oidc.groupMap).map(([group, mapping]) => (
                  <tr key={group}>
                    <td className="px-3 py-2 font-mono text-xs">{group}</td>
                    <td className="px-3 py-2 capitalize">{mapping.role}</td>
                    <td className="px-3 py-2">
                      {Object.entries(mapping.clusters ?? {})
                        .map(([cluster, users]) => `${cluster}: ${users.join(", ") || "no database users"}`)
                        .join("; ") || "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p className="mt-2 text-sm text-slate-500">
            Not configured: set CLUSTER_TLS_OIDC_ISSUER, CLUSTER_TLS_OIDC_CLIENT_ID and CLUSTER_TLS_OIDC_CLIENT_SECRET.
          </p>
        )}
      </section>
      <section aria-labelledby="password-heading" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="password-heading" className="text-base font-semibold">
          Password sign-in
        </h2>
        <p className="mt-2 text-sm">
          {passwordSignIn === "all"
            ? "Every user with a password may sign in with it."
            : `Only break-glass administrators: ${breakGlassAdmins.length ? breakGlassAdmins.join(", ") : "none listed, so nobody"}.`}
        </p>
      </section>
    </div>
  );
}
