import Link from "next/link";
import { formatDate, formatUtc } from "@/lib/format/dates";
import { DAY_MS, daysLeft } from "@/lib/format/days";
import { expiryTone, stackSections, TIMELINE_RANGES, timelineDomain, timeScale, timeTicks, type TimelineData, type TimelineRange, type Tone } from "@/lib/timeline/layout";

const WIDTH = 1000;
const GUTTER = 240; // row labels
const PLOT_END = WIDTH - 12;
const ROW = 18;
const HISTOGRAM = 30;
const HEADING = 22;
const AXIS = 24;

const BAR_FILL: Record<Tone, string> = { ok: "#10b981", warning: "#f59e0b", critical: "#ef4444" };
const truncate = (text: string, max = 36) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

type Props = {
  data: TimelineData;
  range: TimelineRange;
  /** Link for a zoom level (keeps the rest of the page's query string). */
  hrefForRange: (range: TimelineRange) => string;
  /** The certificates list with the same scope, for "N more". */
  listHref: string;
  showClusterNames?: boolean;
  now?: Date;
};

/**
 * Expiry timeline: CA lifetimes with their CRL nextUpdate, expiries per week for the whole fleet,
 * and the soonest-expiring certificates as bars, on one time axis with a "now" line and the 30-
 * and 7-day bands. Server-rendered SVG (native tooltips for details) plus a table alternative.
 */
export function ExpiryTimeline({ data, range, hrefForRange, listHref, showClusterNames = false, now = new Date() }: Props) {
  const domain = timelineDomain(range, now, data);
  const x = timeScale(domain, GUTTER, PLOT_END);
  const ticks = timeTicks(domain);
  const servers = data.certificates.filter((c) => c.kind === "server");
  const clients = data.certificates.filter((c) => c.kind === "client");
  const shown = data.certificates.length;
  const total = data.totals.server + data.totals.client;
  const labelOf = (name: string, cluster: string) => truncate(showClusterNames ? `${cluster} · ${name}` : name);

  const { placed, height } = stackSections(
    [
      { key: "ca", title: "Certificate authorities", rows: data.authorities.length, rowHeight: ROW },
      { key: "weekly", title: `Expiries per week (all ${total.toLocaleString("en")} active)`, rows: total > 0 ? 2 : 0, rowHeight: HISTOGRAM },
      { key: "server", title: "Server certificates, soonest first", rows: servers.length, rowHeight: ROW },
      { key: "client", title: "Client certificates, soonest first", rows: clients.length, rowHeight: ROW },
    ],
    AXIS,
    HEADING,
  );
  const top = (key: string) => placed.get(key)?.rowsTop ?? 0;
  const caTop = top("ca");
  const histogramTop = top("weekly");
  const serverTop = top("server");
  const clientTop = top("client");

  const maxWeekly = Math.max(1, ...data.weeklyExpiries.map((w) => w.count));
  const nowX = x(now);
  const crlOf = new Map(data.crls.map((crl) => [crl.caId, crl]));

  return (
    <section aria-labelledby="timeline-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="timeline-heading" className="text-base font-semibold">
            Expiry timeline
          </h2>
          <p className="text-sm text-slate-500">
            {shown < total ? `The ${shown} soonest of ${total.toLocaleString("en")} active certificates as bars; every one counted per week.` : "Every active certificate, CA lifetimes and CRL updates."}
          </p>
        </div>
        <nav aria-label="Timeline zoom" className="inline-flex rounded-md ring-1 ring-inset ring-slate-300">
          {(Object.entries(TIMELINE_RANGES) as [TimelineRange, string][]).map(([value, label]) => (
            <Link
              key={value}
              href={hrefForRange(value)}
              scroll={false}
              aria-current={value === range ? "true" : undefined}
              className={`px-3 py-1.5 text-sm font-medium first:rounded-l-md last:rounded-r-md ${value === range ? "bg-indigo-600 text-white" : "text-slate-600 hover:bg-slate-50"}`}
            >
              {label}
            </Link>
          ))}
        </nav>
      </div>

      <svg viewBox={`0 0 ${WIDTH} ${height}`} className="mt-4 w-full" role="img" aria-label={`Expiry timeline from ${formatDate(domain.start)} to ${formatDate(domain.end)}; the table below lists the same data`}>
        <rect x={x(now)} y={AXIS} width={x(new Date(now.getTime() + 7 * DAY_MS)) - nowX} height={height - AXIS} fill="#fef2f2" />
        <rect x={x(new Date(now.getTime() + 7 * DAY_MS))} y={AXIS} width={x(new Date(now.getTime() + 30 * DAY_MS)) - x(new Date(now.getTime() + 7 * DAY_MS))} height={height - AXIS} fill="#fffbeb" />
        {ticks.map((tick) => (
          <g key={tick.at.toISOString()}>
            <line x1={x(tick.at)} x2={x(tick.at)} y1={AXIS - 4} y2={height} stroke="#e2e8f0" />
            <text x={x(tick.at) + 3} y={AXIS - 8} fontSize="11" fill="#64748b">
              {tick.label}
            </text>
          </g>
        ))}
        {[...placed.values()].map((s) => (
          <text key={s.title} x={0} y={s.headingY + 15} fontSize="11" fontWeight="600" fill="#334155">
            {s.title.toUpperCase()}
          </text>
        ))}

        {data.authorities.map((ca, i) => {
          const rowY = caTop + i * ROW;
          const crl = crlOf.get(ca.id);
          return (
            <g key={ca.id}>
              <text x={0} y={rowY + 12} fontSize="11" fill="#475569">
                {labelOf(ca.label, ca.clusterName)}
              </text>
              <rect x={x(ca.notBefore)} y={rowY + 3} width={Math.max(2, x(ca.notAfter) - x(ca.notBefore))} height={ROW - 6} rx={3} fill={ca.state === "active" ? "#6366f1" : "#a5b4fc"}>
                <title>{`${ca.label} (${ca.clusterName}, ${ca.state}): ${formatDate(ca.notBefore)} → ${formatDate(ca.notAfter)}, ${daysLeft(ca.notAfter, now)} days left`}</title>
              </rect>
              {crl ? (
                <path d={`M ${x(crl.nextUpdate)} ${rowY + 1} l 6 8 l -6 8 l -6 -8 z`} fill={crl.nextUpdate.getTime() - now.getTime() < DAY_MS ? "#ef4444" : "#0f172a"}>
                  <title>{`CRL of ${ca.label}: next update ${formatUtc(crl.nextUpdate)}`}</title>
                </path>
              ) : null}
            </g>
          );
        })}

        {total > 0
          ? (["server", "client"] as const).map((kind, row) => {
              const baseY = histogramTop + (row + 1) * HISTOGRAM - 4;
              return (
                <g key={kind}>
                  <text x={0} y={baseY - 6} fontSize="11" fill="#475569">
                    {kind === "server" ? "Server" : "Client"} ({data.totals[kind].toLocaleString("en")})
                  </text>
                  <line x1={GUTTER} x2={PLOT_END} y1={baseY} y2={baseY} stroke="#cbd5e1" />
                  {data.weeklyExpiries
                    .filter((w) => w.kind === kind && w.weekStart.getTime() + 7 * DAY_MS > domain.start.getTime() && w.weekStart <= domain.end)
                    .map((w) => {
                      const barHeight = Math.max(2, (w.count / maxWeekly) * (HISTOGRAM - 8));
                      const left = x(w.weekStart);
                      return (
                        <rect key={w.weekStart.toISOString()} x={left} y={baseY - barHeight} width={Math.max(1.5, x(new Date(w.weekStart.getTime() + 7 * DAY_MS)) - left - 0.5)} height={barHeight} fill={BAR_FILL[expiryTone(new Date(w.weekStart.getTime() + 7 * DAY_MS), now)]}>
                          <title>{`${w.count} ${kind} certificate${w.count === 1 ? "" : "s"} expire in the week of ${formatDate(w.weekStart)}`}</title>
                        </rect>
                      );
                    })}
                </g>
              );
            })
          : null}

        {[
          [servers, serverTop],
          [clients, clientTop],
        ].map(([rows, top]) =>
          (rows as TimelineData["certificates"]).map((cert, i) => {
            const rowY = (top as number) + i * ROW;
            return (
              <a key={cert.id} href={cert.href}>
                <text x={0} y={rowY + 12} fontSize="11" fill="#4338ca">
                  {labelOf(cert.label, cert.clusterName)}
                </text>
                <rect x={x(cert.notBefore)} y={rowY + 4} width={Math.max(2, x(cert.notAfter) - x(cert.notBefore))} height={ROW - 8} rx={2} fill={BAR_FILL[expiryTone(cert.notAfter, now)]}>
                  <title>{`${cert.label} (${cert.clusterName}): expires ${formatUtc(cert.notAfter)}, ${daysLeft(cert.notAfter, now)} days left`}</title>
                </rect>
              </a>
            );
          }),
        )}

        <line x1={nowX} x2={nowX} y1={AXIS - 4} y2={height} stroke="#4f46e5" strokeWidth={1.5} />
        <text x={nowX + 3} y={height - 4} fontSize="10" fontWeight="600" fill="#4f46e5">
          now
        </text>
      </svg>

      <div className="mt-3 flex flex-wrap items-center gap-x-5 gap-y-2 text-xs text-slate-600">
        <Legend swatch="bg-emerald-500">more than 30 days</Legend>
        <Legend swatch="bg-amber-500">under 30 days</Legend>
        <Legend swatch="bg-red-500">under 7 days or expired</Legend>
        <Legend swatch="bg-indigo-500">CA lifetime</Legend>
        <Legend swatch="rotate-45 bg-slate-900">CRL next update</Legend>
        {shown < total ? (
          <Link href={listHref} className="ml-auto font-medium text-indigo-700 hover:underline">
            All {total.toLocaleString("en")} by days left →
          </Link>
        ) : null}
      </div>

      <details className="mt-3 text-sm">
        <summary className="cursor-pointer font-medium text-slate-700">Show as a table</summary>
        <table className="mt-2 min-w-full divide-y divide-slate-100 text-sm">
          <caption className="sr-only">Expiry timeline data</caption>
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-1 pr-4">What</th>
              <th scope="col" className="py-1 pr-4">Cluster</th>
              <th scope="col" className="py-1 pr-4">Ends</th>
              <th scope="col" className="py-1 text-right">Days left</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.authorities.map((ca) => (
              <TableRow key={ca.id} what={`CA ${ca.label} (${ca.state})`} cluster={ca.clusterName} ends={ca.notAfter} now={now} />
            ))}
            {data.crls.map((crl) => (
              <TableRow key={`crl-${crl.caId}`} what="CRL next update" cluster={crl.clusterName} ends={crl.nextUpdate} now={now} />
            ))}
            {data.certificates.map((cert) => (
              <TableRow key={cert.id} what={`${cert.kind === "server" ? "Server" : "Client"} ${cert.label}`} cluster={cert.clusterName} ends={cert.notAfter} now={now} />
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function Legend({ swatch, children }: { swatch: string; children: string }) {
  return (
    <span className="inline-flex items-center gap-1.5">
      <span aria-hidden className={`inline-block size-2.5 rounded-sm ${swatch}`} />
      {children}
    </span>
  );
}

function TableRow({ what, cluster, ends, now }: { what: string; cluster: string; ends: Date; now: Date }) {
  return (
    <tr>
      <td className="py-1 pr-4">{what}</td>
      <td className="py-1 pr-4 text-slate-600">{cluster}</td>
      <td className="py-1 pr-4 tabular-nums">{formatUtc(ends)}</td>
      <td className="py-1 text-right tabular-nums">{daysLeft(ends, now)}</td>
    </tr>
  );
}
