import { TriangleAlert } from "lucide-react";
import { DownloadLink } from "@/components/ui/download-link";
import { ValidityBar } from "@/components/ui/validity-bar";
import type { CaOrigin } from "@/lib/db/schema/enums";
import { formatUtc } from "@/lib/format/dates";
import { DAY_MS } from "@/lib/format/days";
import { formatFingerprint } from "@/lib/format/fingerprint";
import { formatRelative } from "@/lib/format/relative";
import { ExternalCrlForm } from "./external-crl-form";

type Authority = {
  id: string;
  kind: string;
  origin: CaOrigin;
  state: string;
  subject: string;
  serialHex: string;
  keyAlgorithm: string;
  notBefore: Date;
  notAfter: Date;
  fingerprintSha256: string;
  hasExternalIssuer: boolean;
  externalCrlNextUpdate: Date | null;
};

const ORIGIN_LABELS: Record<CaOrigin, string> = {
  generated: "made here",
  imported: "imported",
  "external-csr": "signed by an external root",
};
/** The external CRL is fetched by hand: two days' warning, not one (roots often publish 7-day CRLs). */
const EXTERNAL_CRL_WARNING_MS = 2 * DAY_MS;

/** One certificate authority of the cluster: what to compare by eye, and its lifetime. */
export function CaCard({
  ca,
  downloadHref,
  clusterId,
  canManage,
  now = new Date(),
}: {
  ca: Authority;
  downloadHref: string;
  clusterId: string;
  canManage: boolean;
  now?: Date;
}) {
  const externalCrlLeft = ca.externalCrlNextUpdate ? ca.externalCrlNextUpdate.getTime() - now.getTime() : null;
  return (
    <section aria-label={`Certificate authority ${ca.subject}`} className="rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-base font-semibold">Certificate authority</h2>
          <p className="text-sm text-slate-500">
            {ca.kind === "root" ? "Root" : "Intermediate"} ({ORIGIN_LABELS[ca.origin]}) · {ca.keyAlgorithm} ·{" "}
            <span className="capitalize">{ca.state}</span>
          </p>
        </div>
        <DownloadLink href={downloadHref}>root.crt</DownloadLink>
      </div>
      <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500">Subject</dt>
        <dd className="break-all font-mono text-xs leading-5">{ca.subject}</dd>
        <dt className="text-slate-500">Serial</dt>
        <dd className="break-all font-mono text-xs leading-5">{ca.serialHex}</dd>
        <dt className="text-slate-500">SHA-256</dt>
        <dd className="break-all font-mono text-xs leading-5">{formatFingerprint(ca.fingerprintSha256)}</dd>
        {ca.hasExternalIssuer ? (
          <>
            <dt className="text-slate-500">External CRL</dt>
            <dd>
              {ca.externalCrlNextUpdate
                ? `next update ${formatUtc(ca.externalCrlNextUpdate)} (${formatRelative(ca.externalCrlNextUpdate, now)})`
                : "no next update given"}
            </dd>
          </>
        ) : null}
      </dl>
      {externalCrlLeft !== null && externalCrlLeft < EXTERNAL_CRL_WARNING_MS ? (
        <p role="alert" className="mt-3 flex gap-2 rounded-md bg-red-50 p-3 text-sm text-red-800">
          <TriangleAlert aria-hidden className="size-4 shrink-0" />
          {externalCrlLeft > 0
            ? "The external root's CRL runs out soon: upload a fresh one and install the new root.crl, or PostgreSQL refuses every client certificate."
            : "The external root's CRL has expired: PostgreSQL refuses client certificates until a fresh one is uploaded and root.crl reinstalled."}
        </p>
      ) : null}
      {ca.hasExternalIssuer && canManage && ca.state === "active" ? (
        <div className="mt-3">
          <ExternalCrlForm clusterId={clusterId} />
        </div>
      ) : null}
      <div className="mt-4">
        <ValidityBar notBefore={ca.notBefore} notAfter={ca.notAfter} />
      </div>
    </section>
  );
}
