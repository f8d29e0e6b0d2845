import type { Metadata } from "next";
import { connection } from "next/server";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { LiveInstancesTable } from "@/components/settings/live-instances-table";
import { requireSessionContext } from "@/lib/auth/session-context";
import { readInstanceFacts } from "@/lib/runtime/instance-facts";
import { INSTANCE } from "@/lib/runtime/instance-name";
import { listLiveInstances } from "@/lib/services/instances/list-live-instances";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await connection();
  const { db } = await requireSessionContext();
  const instance = await readInstanceFacts();
  const rows: [string, string][] = [
    ["Database", instance.databaseDescription],
    ["Data directory", instance.dataDir],
    ["Master key", `id ${instance.masterKeyId} (from ${instance.masterKeySource})`],
  ];
  // PGlite belongs to one process: there is nobody else to list.
  const live = instance.databaseKind === "postgres" ? await listLiveInstances(db) : null;

  return (
    <>
      <div>
        <section aria-labelledby="instance-heading" className="max-w-3xl rounded-xl border border-slate-200 bg-white">
          <h2 id="instance-heading" className="border-b border-slate-200 px-5 py-4 text-base font-semibold">
            Instance
          </h2>
          <dl className="divide-y divide-slate-100">
            {rows.map(([label, value]) => (
              <div key={label} className="grid grid-cols-3 gap-4 px-5 py-3 text-sm">
                <dt className="font-medium text-slate-500">{label}</dt>
                <dd className="col-span-2 break-all font-mono text-xs leading-5 text-slate-800">{value}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="instances-heading" className="mt-8 max-w-3xl rounded-xl border border-slate-200 bg-white">
          <h2 id="instances-heading" className="border-b border-slate-200 px-5 py-4 text-base font-semibold">
            Instances on this database
          </h2>
          {live && live.instances.length > 0 ? (
            <LiveInstancesTable instances={live.instances} self={INSTANCE} now={live.now} />
          ) : (
            <p className="px-5 py-4 text-sm text-slate-500">
              One instance: this one{live ? "" : " (the embedded database belongs to one process)"}.
            </p>
          )}
        </section>
        <section aria-labelledby="password-heading" className="mt-8 max-w-3xl rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="password-heading" className="mb-4 text-base font-semibold">
            Change your password
          </h2>
          <ChangePasswordForm />
        </section>
      </div>
    </>
  );
}
