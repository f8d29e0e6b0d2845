import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { connection } from "next/server";
import { CreateUserForm } from "@/components/settings/create-user-form";
import { GrantAccessForm } from "@/components/settings/grant-access-form";
import { RoleSelect } from "@/components/settings/role-select";
import { ActionButton } from "@/components/ui/action-button";
import { isAllowed } from "@/lib/access/permissions";
import { revokeClusterAccessAction, updateUserAction } from "@/lib/actions/user-admin-actions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { listClusters } from "@/lib/services/clusters/list-clusters";
import { listUsers } from "@/lib/services/users/list-users";
import { ColumnHeaders } from "@/components/ui/column-headers";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  if (!isAllowed(user, "users:manage")) forbidden();
  const [users, clusters] = await Promise.all([listUsers(db, user), listClusters(db, user)]);

  return (
    <div className="space-y-8">
      <section aria-labelledby="users-heading" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <h2 id="users-heading" className="border-b border-slate-200 px-5 py-4 text-base font-semibold">
          Users ({users.length})
        </h2>
        <table className="min-w-full divide-y divide-slate-100 text-sm">
          <ColumnHeaders columns={["User", "Role", "Cluster access (developers)", { label: "Status", alignEnd: true }]} cell="px-5 py-3" />
          <tbody className="divide-y divide-slate-100 align-top">
            {users.map((u) => (
              <tr key={u.id}>
                <td className="px-5 py-4">
                  <p className="font-medium text-slate-900">{u.name}</p>
                  <p className="text-slate-500">{u.email}</p>
                  {u.disabled ? <p className="mt-1 text-xs font-semibold text-red-600">Disabled</p> : null}
                </td>
                <td className="px-5 py-4">
                  <RoleSelect userId={u.id} email={u.email} role={u.role} />
                </td>
                <td className="space-y-2 px-5 py-4">
                  {u.role !== "developer" ? (
                    <p className="text-xs text-slate-500">{u.role === "admin" ? "All clusters" : "All clusters, read-only"}</p>
                  ) : (
                    <>
                      <ul className="space-y-1">
                        {u.access.map((a) => (
                          <li key={a.clusterId} className="flex items-center gap-2">
                            <span className="font-medium">{a.clusterName}</span>
                            <span className="text-xs text-slate-500">
                              {a.databaseUsers.length ? a.databaseUsers.join(", ") : "no database users"}
                            </span>
                            <ActionButton
                              action={revokeClusterAccessAction}
                              fields={{ userId: u.id, clusterId: a.clusterId }}
                              successMessage={`Removed ${u.email}'s access to ${a.clusterName}`}
                              variant="ghost"
                            >
                              Remove
                            </ActionButton>
                          </li>
                        ))}
                      </ul>
                      <GrantAccessForm userId={u.id} email={u.email} clusters={clusters.map(({ id, name }) => ({ id, name }))} />
                    </>
                  )}
                </td>
                <td className="px-5 py-4 text-right">
                  {u.disabled ? (
                    <ActionButton
                      action={updateUserAction}
                      fields={{ userId: u.id, disabled: "false" }}
                      successMessage={`Enabled ${u.email}`}
                    >
                      Enable
                    </ActionButton>
                  ) : (
                    <ActionButton
                      action={updateUserAction}
                      fields={{ userId: u.id, disabled: "true" }}
                      successMessage={`Disabled ${u.email}`}
                      confirm={{
                        title: `Disable ${u.email}?`,
                        body: "They are signed out everywhere at once and cannot sign in until enabled again. Their certificates stay valid.",
                        confirmLabel: "Disable user",
                      }}
                    >
                      Disable
                    </ActionButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="add-user-heading" className="rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="add-user-heading" className="mb-4 text-base font-semibold">
          Add a user
        </h2>
        <CreateUserForm />
      </section>
    </div>
  );
}
