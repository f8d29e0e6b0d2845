import { formatUtc } from "@/lib/format/dates";
import { daysLeft } from "@/lib/format/days";
import type { TimelineData } from "@/lib/timeline/layout";

/** The timeline's data as a table: the text alternative of the SVG, for screen readers and copying. */
export function TimelineTable({ data, now }: { data: TimelineData; now: Date }) {
  return (
    <table className="mt-2 min-w-full divide-y divide-slate-100 text-sm">
      <caption className="sr-only">Expiry timeline data</caption>
      <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
        <tr>
          <th scope="col" className="py-1 pr-4">
            What
          </th>
          <th scope="col" className="py-1 pr-4">
            Cluster
          </th>
          <th scope="col" className="py-1 pr-4">
            Ends
          </th>
          <th scope="col" className="py-1 text-right">
            Days left
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {data.authorities.map((ca) => (
          <Row key={ca.id} what={`CA ${ca.label} (${ca.state})`} cluster={ca.clusterName} ends={ca.notAfter} now={now} />
        ))}
        {data.crls.map((crl) => (
          <Row key={`crl-${crl.caId}`} what="CRL next update" cluster={crl.clusterName} ends={crl.nextUpdate} now={now} />
        ))}
        {data.certificates.map((cert) => (
          <Row
            key={cert.id}
            what={`${cert.kind === "server" ? "Server" : "Client"} ${cert.label}`}
            cluster={cert.clusterName}
            ends={cert.notAfter}
            now={now}
          />
        ))}
      </tbody>
    </table>
  );
}

function Row({ what, cluster, ends, now }: { what: string; cluster: string; ends: Date; now: Date }) {
  return (
    <tr>
      <td className="py-1 pr-4">{what}</td>
      <td className="py-1 pr-4 text-slate-600">{cluster}</td>
      <td className="py-1 pr-4 tabular-nums">{formatUtc(ends)}</td>
      <td className="py-1 text-right tabular-nums">{daysLeft(ends, now)}</td>
    </tr>
  );
}
