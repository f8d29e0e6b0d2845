import Link from "next/link";
import { TIMELINE_RANGES, timelineDomain, type TimelineData, type TimelineRange } from "@/lib/timeline/layout";
import { TimelineChart } from "./timeline-chart";
import { TimelineTable } from "./timeline-table";

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

const RANGE_TITLES: Record<TimelineRange, string> = {
  fit: "From now to the last certificate's expiry",
  "3m": "The next three months",
  "1y": "The next year",
  all: "Every CA and certificate lifetime",
};

/**
 * Expiry timeline: server-rendered SVG (native tooltips for details) with zoom links, a legend
 * and a table alternative. It opens fitted to the certificates, so every bar ends in view.
 */
export function ExpiryTimeline({ data, range, hrefForRange, listHref, showClusterNames = false, now = new Date() }: Props) {
  const domain = timelineDomain(range, now, data);
  const shown = data.certificates.length;
  const total = data.totals.server + data.totals.client;

  return (
    <section aria-labelledby="timeline-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="timeline-heading" className="text-base font-semibold">
            Expiry timeline
          </h2>
          <p className="text-sm text-slate-500">
            {shown < total
              ? `The ${shown} soonest of ${total.toLocaleString("en")} active certificates as bars; every one counted per week.`
              : "Every active certificate, soonest first, with CA lifetimes and CRL updates."}
          </p>
        </div>
        <nav aria-label="Timeline zoom" className="inline-flex rounded-md ring-1 ring-inset ring-slate-300">
          {(Object.entries(TIMELINE_RANGES) as [TimelineRange, string][]).map(([value, label]) => (
            <Link
              key={value}
              href={hrefForRange(value)}
              scroll={false}
              title={RANGE_TITLES[value]}
              aria-current={value === range ? "true" : undefined}
              className={`px-3 py-1.5 text-sm font-medium first:rounded-l-md last:rounded-r-md ${value === range ? "bg-indigo-600 text-white" : "text-slate-600 hover:bg-slate-50"}`}
            >
              {label}
            </Link>
          ))}
        </nav>
      </div>

      <TimelineChart data={data} domain={domain} now={now} showClusterNames={showClusterNames} />

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
        <TimelineTable data={data} now={now} />
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
