import { TriangleAlert } from "lucide-react";
import { DownloadLink } from "@/components/ui/download-link";
import { formatUtc } from "@/lib/format/dates";
import { DAY_MS } from "@/lib/format/days";
import { formatRelative } from "@/lib/format/relative";

type Crl = { crlNumber: bigint; entryCount: number; thisUpdate: Date; nextUpdate: Date };

/**
 * The CRL the nodes must hold, with a countdown to nextUpdate: PostgreSQL refuses every client
 * certificate once its ssl_crl_file is past nextUpdate, so the last day is flagged loudly.
 */
export function CrlCard({ crl, downloadHref, now = new Date() }: { crl: Crl | null; downloadHref: string; now?: Date }) {
  const remaining = crl ? crl.nextUpdate.getTime() - now.getTime() : 0;
  return (
    <section aria-label="Certificate revocation list" className="rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex items-start justify-between gap-3">
        <h2 className="text-base font-semibold">Revocation list</h2>
        {crl ? <DownloadLink href={downloadHref}>root.crl</DownloadLink> : null}
      </div>
      {crl ? (
        <>
          {remaining < DAY_MS ? (
            <p role="alert" className="mt-3 flex gap-2 rounded-md bg-red-50 p-3 text-sm text-red-800">
              <TriangleAlert aria-hidden className="size-4 shrink-0" />
              {remaining > 0
                ? `This CRL expires ${formatRelative(crl.nextUpdate, now)}. Install a fresh root.crl on every node before then, or PostgreSQL refuses all client certificates.`
                : "This CRL has expired: PostgreSQL refuses client certificates until a fresh root.crl is installed."}
            </p>
          ) : null}
          <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-500">Number</dt>
            <dd className="tabular-nums">{crl.crlNumber.toString()}</dd>
            <dt className="text-slate-500">Revoked</dt>
            <dd className="tabular-nums">{crl.entryCount.toLocaleString("en")}</dd>
            <dt className="text-slate-500">Issued</dt>
            <dd>{formatUtc(crl.thisUpdate)}</dd>
            <dt className="text-slate-500">Next update</dt>
            <dd>
              {formatUtc(crl.nextUpdate)}
              <span className={`block text-xs ${remaining < DAY_MS ? "font-semibold text-red-700" : "text-slate-500"}`}>
                {formatRelative(crl.nextUpdate, now)}
              </span>
            </dd>
          </dl>
        </>
      ) : (
        <p className="mt-4 text-sm text-slate-500">No CRL yet.</p>
      )}
    </section>
  );
}
