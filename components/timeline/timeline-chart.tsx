import { formatDate, formatUtc } from "@/lib/format/dates";
import { DAY_MS, daysLeft } from "@/lib/format/days";
import {
  endLabelText,
  expiryTone,
  stackSections,
  timeScale,
  timeTicks,
  type Domain,
  type TimelineData,
  type Tone,
} from "@/lib/timeline/layout";

// User units close to CSS pixels of the full-width card at 1440 px, so 11-unit text reads as ~11 px.
const WIDTH = 820;
const GUTTER = 200; // row labels
const VALUE_COLUMN = 125; // days left and end date, right-aligned like a bar gauge's value
const PLOT_END = WIDTH - VALUE_COLUMN - 10;
const ROW = 18;
const HISTOGRAM = 30;
const HEADING = 22;
const AXIS = 24;
const MARKERS = 16; // "now", "7 d", "30 d" under the plot

const BAR_FILL: Record<Tone, string> = { ok: "#10b981", warning: "#f59e0b", critical: "#ef4444" };
const VALUE_FILL: Record<Tone, string> = { ok: "#334155", warning: "#b45309", critical: "#b91c1c" };
const truncate = (text: string, max = 31) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

type Props = { data: TimelineData; domain: Domain; now: Date; showClusterNames: boolean };

/**
 * The SVG: CA lifetimes with their CRL nextUpdate, expiries per week for the whole fleet, and the
 * soonest-expiring certificates as bars, on one time axis with a "now" line and the 30- and 7-day
 * bands. Each row ends in a value column (days left · end date), so the soonest expiry and its
 * date read off the first row without hovering; native tooltips carry the details.
 */
export function TimelineChart({ data, domain, now, showClusterNames }: Props) {
  const x = timeScale(domain, GUTTER, PLOT_END);
  const ticks = timeTicks(domain);
  const servers = data.certificates.filter((c) => c.kind === "server");
  const clients = data.certificates.filter((c) => c.kind === "client");
  const total = data.totals.server + data.totals.client;
  const labelOf = (name: string, cluster: string) => truncate(showClusterNames ? `${cluster} · ${name}` : name);
  const { placed, height: sectionsHeight } = stackSections(
    [
      { key: "ca", title: "Certificate authorities", rows: data.authorities.length, rowHeight: ROW },
      { key: "weekly", title: "Expiries per week", rows: total > 0 ? 2 : 0, rowHeight: HISTOGRAM },
      { key: "server", title: "Servers, soonest first", rows: servers.length, rowHeight: ROW },
      { key: "client", title: "Clients, soonest first", rows: clients.length, rowHeight: ROW },
    ],
    AXIS,
    HEADING,
  );
  const height = sectionsHeight + MARKERS;
  const plotBottom = sectionsHeight;
  const top = (key: string) => placed.get(key)?.rowsTop ?? 0;
  const maxWeekly = Math.max(1, ...data.weeklyExpiries.map((w) => w.count));
  const day = (days: number) => new Date(now.getTime() + days * DAY_MS);
  const [nowX, day7X, day30X] = [x(now), x(day(7)), x(day(30))];
  const crlOf = new Map(data.crls.map((crl) => [crl.caId, crl]));
  const clippedEnd = (end: Date) => end > domain.end;

  const valueText = (end: Date, rowY: number, tone: Tone) => (
    <text
      x={WIDTH - 4}
      y={rowY + 12}
      fontSize="11"
      textAnchor="end"
      fill={VALUE_FILL[tone]}
      fontWeight={tone === "ok" ? 400 : 600}
      style={{ fontVariantNumeric: "tabular-nums" }}
    >
      {endLabelText(end, now)}
    </text>
  );
  // A bar cut off by the window ends in a chevron: it goes on past the edge.
  const chevron = (end: Date, rowY: number) =>
    clippedEnd(end) ? <path d={`M ${PLOT_END + 2} ${rowY + 4} l 5 5 l -5 5`} stroke="#475569" strokeWidth={1.5} fill="none" /> : null;

  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${height}`}
      className="mt-4 w-full"
      role="img"
      aria-label={`Expiry timeline from ${formatDate(domain.start)} to ${formatDate(domain.end)}; the table below lists the same data`}
    >
      <rect x={nowX} y={AXIS} width={day7X - nowX} height={plotBottom - AXIS} fill="#fee2e2" />
      <rect x={day7X} y={AXIS} width={day30X - day7X} height={plotBottom - AXIS} fill="#fef3c7" />
      {ticks.map((tick) => (
        <g key={tick.at.toISOString()}>
          <line x1={x(tick.at)} x2={x(tick.at)} y1={AXIS - 4} y2={plotBottom} stroke="#e2e8f0" />
          <text x={x(tick.at) + 3} y={AXIS - 8} fontSize="11" fill="#64748b">
            {tick.label}
          </text>
        </g>
      ))}
      <text x={WIDTH - 4} y={AXIS - 8} fontSize="11" fontWeight="600" textAnchor="end" fill="#64748b">
        Days left · ends
      </text>
      {[...placed.values()].map((s) => (
        <text key={s.title} x={0} y={s.headingY + 15} fontSize="11" fontWeight="600" fill="#334155">
          {s.title.toUpperCase()}
        </text>
      ))}

      {data.authorities.map((ca, i) => {
        const rowY = top("ca") + i * ROW;
        const crl = crlOf.get(ca.id);
        return (
          <g key={ca.id}>
            <text x={0} y={rowY + 12} fontSize="11" fill="#475569">
              {labelOf(ca.label, ca.clusterName)}
            </text>
            <rect
              x={x(ca.notBefore)}
              y={rowY + 3}
              width={Math.max(2, x(ca.notAfter) - x(ca.notBefore))}
              height={ROW - 6}
              rx={3}
              fill={ca.state === "active" ? "#6366f1" : "#a5b4fc"}
            >
              <title>{`${ca.label} (${ca.clusterName}, ${ca.state}): ${formatDate(ca.notBefore)} → ${formatDate(ca.notAfter)}, ${daysLeft(ca.notAfter, now)} days left`}</title>
            </rect>
            {chevron(ca.notAfter, rowY)}
            {crl ? (
              <path
                d={`M ${x(crl.nextUpdate)} ${rowY + 1} l 6 8 l -6 8 l -6 -8 z`}
                fill={crl.nextUpdate.getTime() - now.getTime() < DAY_MS ? "#ef4444" : "#0f172a"}
              >
                <title>{`CRL of ${ca.label}: next update ${formatUtc(crl.nextUpdate)}`}</title>
              </path>
            ) : null}
            {valueText(ca.notAfter, rowY, expiryTone(ca.notAfter, now))}
          </g>
        );
      })}

      {total > 0
        ? (["server", "client"] as const).map((kind, row) => {
            const baseY = top("weekly") + (row + 1) * HISTOGRAM - 4;
            const weeks = data.weeklyExpiries.filter(
              (w) => w.kind === kind && w.weekStart.getTime() + 7 * DAY_MS > domain.start.getTime() && w.weekStart <= domain.end,
            );
            return (
              <g key={kind}>
                <text x={0} y={baseY - 6} fontSize="11" fill="#475569">
                  {kind === "server" ? "Server" : "Client"} ({data.totals[kind].toLocaleString("en")})
                </text>
                <line x1={GUTTER} x2={PLOT_END} y1={baseY} y2={baseY} stroke="#cbd5e1" />
                {weeks.length === 0 ? (
                  <text x={(GUTTER + PLOT_END) / 2} y={baseY - 8} fontSize="11" textAnchor="middle" fill="#94a3b8">
                    {data.totals[kind] === 0 ? `No active ${kind} certificates` : `None expire in this window`}
                  </text>
                ) : null}
                {weeks.map((w) => {
                  const barHeight = Math.max(2, (w.count / maxWeekly) * (HISTOGRAM - 8));
                  const left = x(w.weekStart);
                  return (
                    <rect
                      key={w.weekStart.toISOString()}
                      x={left}
                      y={baseY - barHeight}
                      width={Math.max(1.5, x(new Date(w.weekStart.getTime() + 7 * DAY_MS)) - left - 0.5)}
                      height={barHeight}
                      fill={BAR_FILL[expiryTone(new Date(w.weekStart.getTime() + 7 * DAY_MS), now)]}
                    >
                      <title>{`${w.count} ${kind} certificate${w.count === 1 ? "" : "s"} expire in the week of ${formatDate(w.weekStart)}`}</title>
                    </rect>
                  );
                })}
              </g>
            );
          })
        : null}

      {(
        [
          [servers, top("server")],
          [clients, top("client")],
        ] as const
      ).map(([rows, rowsTop]) =>
        rows.map((cert, i) => {
          const rowY = rowsTop + i * ROW;
          const tone = expiryTone(cert.notAfter, now);
          return (
            <a key={cert.id} href={cert.href}>
              <text x={0} y={rowY + 12} fontSize="11" fill="#4338ca">
                {labelOf(cert.label, cert.clusterName)}
              </text>
              <rect
                x={x(cert.notBefore)}
                y={rowY + 4}
                width={Math.max(2, x(cert.notAfter) - x(cert.notBefore))}
                height={ROW - 8}
                rx={2}
                fill={BAR_FILL[tone]}
              >
                <title>{`${cert.label} (${cert.clusterName}): expires ${formatUtc(cert.notAfter)}, ${daysLeft(cert.notAfter, now)} days left`}</title>
              </rect>
              {chevron(cert.notAfter, rowY)}
              {valueText(cert.notAfter, rowY, tone)}
            </a>
          );
        }),
      )}

      {[day7X, day30X].map((lineX) => (
        <line key={lineX} x1={lineX} x2={lineX} y1={AXIS} y2={plotBottom} stroke="#d97706" strokeDasharray="3 3" strokeWidth={1} />
      ))}
      <line x1={nowX} x2={nowX} y1={AXIS - 4} y2={plotBottom + 4} stroke="#4f46e5" strokeWidth={1.5} />
      <text x={nowX - 3} y={height - 4} fontSize="10" fontWeight="600" textAnchor="end" fill="#4f46e5">
        now
      </text>
      {day30X - day7X > 22 ? (
        <text x={day7X + 2} y={height - 4} fontSize="10" fontWeight="600" fill="#b91c1c">
          7 d
        </text>
      ) : null}
      <text x={day30X + 2} y={height - 4} fontSize="10" fontWeight="600" fill="#b45309">
        30 d
      </text>
    </svg>
  );
}
