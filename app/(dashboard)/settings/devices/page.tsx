import type { Metadata } from "next";
import { connection } from "next/server";
import { CredentialStateCell, credentialState } from "@/components/settings/credential-state-cell";
import { revokeDeviceAction } from "@/lib/actions/device-actions";
import { actorRole } from "@/lib/access/actor";
import { requireSessionContext } from "@/lib/auth/session-context";
import { formatUtc } from "@/lib/format/dates";
import { listDevices } from "@/lib/services/devices/list-devices";
import { ColumnHeaders } from "@/components/ui/column-headers";

export const metadata: Metadata = { title: "My devices" };

/** Developer logins (`cluster-tls login`): where they came from, when used, what they got; revoke a lost one. */
export default async function DevicesPage() {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  const devices = await listDevices(db, user);
  const everyone = actorRole(user) === "admin";
  const now = new Date();

  return (
    <section aria-labelledby="devices-heading" className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <div className="border-b border-slate-200 px-5 py-4">
        <h2 id="devices-heading" className="text-base font-semibold">
          {everyone ? "Devices of every user" : "My devices"} ({devices.length})
        </h2>
        <p className="mt-1 text-sm text-slate-500">
          Laptops logged in with <code>cluster-tls login</code>. Revoking one stops it from getting new certificates; those it holds expire
          within the cluster&apos;s login certificate lifetime.
        </p>
      </div>
      {devices.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500">
          No device has logged in yet. Run <code>cluster-tls login {"<this dashboard's URL>"}</code> on your laptop.
        </p>
      ) : (
        <table className="min-w-full divide-y divide-slate-100 text-sm">
          <ColumnHeaders
            columns={[
              "Device",
              everyone && "User",
              "Created",
              "Last used",
              "Expires",
              "Certificates issued",
              { label: "State", alignEnd: true },
            ]}
            cell="px-5 py-3"
          />
          <tbody className="divide-y divide-slate-100">
            {devices.map((d) => {
              const state = credentialState(d, now);
              return (
                <tr key={d.id} className="align-top">
                  <td className="px-5 py-3">
                    <p className="font-medium">{d.name}</p>
                    <p className="font-mono text-xs text-slate-500">
                      ctlsd_{d.prefix}_… · from {d.ipAddress ?? "unknown address"}
                    </p>
                    <p className="text-xs text-slate-500">
                      {d.clusterNames.length ? d.clusterNames.join(", ") : "all clusters of the user"}
                    </p>
                  </td>
                  {everyone ? <td className="px-5 py-3">{d.userEmail}</td> : null}
                  <td className="px-5 py-3 tabular-nums">{formatUtc(d.createdAt)}</td>
                  <td className="px-5 py-3 tabular-nums">
                    {d.lastUsedAt ? formatUtc(d.lastUsedAt) : "never"}
                    {d.lastUsedIp ? <p className="text-xs text-slate-500">{d.lastUsedIp}</p> : null}
                  </td>
                  <td className="px-5 py-3 tabular-nums">{formatUtc(d.expiresAt)}</td>
                  <td className="px-5 py-3">
                    {d.certificates.length === 0 ? (
                      <span className="text-slate-500">none</span>
                    ) : (
                      <ul className="space-y-1">
                        {d.certificates.slice(0, 10).map((c) => (
                          <li key={c.serial} className="text-xs">
                            <span className="font-mono">{c.serial.slice(0, 12)}…</span> {c.clusterName} as {c.databaseUser} · until{" "}
                            {formatUtc(c.notAfter)}
                            {c.status !== "active" ? ` (${c.status})` : ""}
                          </li>
                        ))}
                        {d.certificates.length > 10 ? (
                          <li className="text-xs text-slate-500">and {d.certificates.length - 10} earlier</li>
                        ) : null}
                      </ul>
                    )}
                  </td>
                  <CredentialStateCell
                    state={state}
                    name={d.name}
                    revoke={revokeDeviceAction}
                    fields={{ deviceId: d.id }}
                    consequence="It can no longer get certificates; cluster-tls on it must log in again."
                    confirmLabel="Revoke device"
                  />
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
