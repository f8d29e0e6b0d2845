import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { connection } from "next/server";
import { CreateTokenForm } from "@/components/settings/create-token-form";
import { CredentialStateCell, credentialState } from "@/components/settings/credential-state-cell";
import { isAllowed } from "@/lib/access/permissions";
import { revokeTokenAction } from "@/lib/actions/token-actions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { formatDate, formatUtc } from "@/lib/format/dates";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import { listApiTokens } from "@/lib/services/tokens/list-api-tokens";
import { listUsers } from "@/lib/services/users/list-users";
import { ColumnHeaders } from "@/components/ui/column-headers";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  if (!isAllowed(user, "tokens:manage")) forbidden();
  const [tokens, clusters, users] = await Promise.all([listApiTokens(db, user), listClusters(db, user), listUsers(db, user)]);
  // A developer token carries its developer's grants: offer only developers who have some.
  const developers = users
    .filter((u) => u.role === "developer" && !u.disabled && u.access.length > 0)
    .map((u) => ({ id: u.id, label: `${u.email} (${u.access.map((a) => a.clusterName).join(", ")})` }));
  const now = new Date();

  return (
    <div className="space-y-8">
      <section aria-labelledby="create-token-heading" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="create-token-heading" className="text-base font-semibold">
          Create a token
        </h2>
        <p className="mb-4 mt-1 text-sm text-slate-500">
          For automation on <code>/api/v1</code>: send it as <code>Authorization: Bearer …</code>. Only its hash is stored.
        </p>
        <CreateTokenForm clusters={clusters.map(({ id, name }) => ({ id, name }))} developers={developers} />
      </section>
      <section aria-labelledby="tokens-heading" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <h2 id="tokens-heading" className="border-b border-slate-200 px-5 py-4 text-base font-semibold">
          Tokens ({tokens.length})
        </h2>
        {tokens.length === 0 ? (
          <p className="px-5 py-8 text-center text-sm text-slate-500">No API tokens yet.</p>
        ) : (
          <table className="min-w-full divide-y divide-slate-100 text-sm">
            <ColumnHeaders
              columns={["Name", "Role and scope", "Expires", "Last used", { label: "State", alignEnd: true }]}
              cell="px-5 py-3"
            />
            <tbody className="divide-y divide-slate-100">
              {tokens.map((t) => {
                const state = credentialState(t, now);
                return (
                  <tr key={t.id}>
                    <td className="px-5 py-3">
                      <p className="font-medium">{t.name}</p>
                      <p className="font-mono text-xs text-slate-500">ctls_{t.prefix}_…</p>
                    </td>
                    <td className="px-5 py-3">
                      {t.role}
                      {t.actsFor ? ` for ${t.actsFor}` : ""} ·{" "}
                      {t.clusterNames.length ? t.clusterNames.join(", ") : t.actsFor ? "all clusters granted to them" : "all clusters"}
                    </td>
                    <td className="px-5 py-3 tabular-nums">{t.expiresAt ? formatDate(t.expiresAt) : "never"}</td>
                    <td className="px-5 py-3 tabular-nums">{t.lastUsedAt ? formatUtc(t.lastUsedAt) : "never"}</td>
                    <CredentialStateCell
                      state={state}
                      name={t.name}
                      revoke={revokeTokenAction}
                      fields={{ tokenId: t.id }}
                      consequence="Requests with this token are refused from now on."
                      confirmLabel="Revoke token"
                    />
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
