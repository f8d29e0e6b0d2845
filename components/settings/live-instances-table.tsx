import { TableHead } from "@/components/ui/table-head";
import { formatUtc } from "@/lib/format/dates";

export type LiveInstance = { instance: string; currentKeyId: string; keyIds: string[]; startedAt: Date; lastSeenAt: Date };

/** Heartbeats come every 10 s: seconds say more than formatRelative's "0 min ago". */
const secondsAgo = (date: Date, now: Date) => `${Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000))} s ago`;

/** The servers on this PostgreSQL database and the master keys each one holds (its heartbeat). */
export function LiveInstancesTable({ instances, self, now }: { instances: LiveInstance[]; self: string; now: Date }) {
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-100 text-sm" aria-label="Live instances">
        <TableHead dense columns={["Instance", "Master key", "Started", "Last seen"]} />
        <tbody className="divide-y divide-slate-100">
          {instances.map((row) => {
            const alsoDecrypts = row.keyIds.filter((id) => id !== row.currentKeyId);
            return (
              <tr key={row.instance}>
                <td className="px-4 py-2.5 font-mono text-xs text-slate-800">
                  {row.instance}
                  {row.instance === self ? (
                    <span className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 font-sans text-xs font-medium text-indigo-700">this one</span>
                  ) : null}
                </td>
                <td className="px-4 py-2.5 font-mono text-xs text-slate-800">
                  {row.currentKeyId}
                  {alsoDecrypts.length > 0 ? (
                    <span className="block font-sans text-slate-500">also decrypts with {alsoDecrypts.join(", ")}</span>
                  ) : null}
                </td>
                <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-slate-600">{formatUtc(row.startedAt)}</td>
                <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-slate-600">{secondsAgo(row.lastSeenAt, now)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
