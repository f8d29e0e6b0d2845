import { DownloadLink } from "@/components/ui/download-link";
import { ValidityBar } from "@/components/ui/validity-bar";
import { formatFingerprint } from "@/lib/format/fingerprint";

type Authority = { id: string; kind: string; state: string; subject: string; serialHex: string; keyAlgorithm: string; notBefore: Date; notAfter: Date; fingerprintSha256: string };

/** One certificate authority of the cluster: what to compare by eye, and its lifetime. */
export function CaCard({ ca, downloadHref }: { ca: Authority; downloadHref: string }) {
  return (
    <section aria-label={`Certificate authority ${ca.subject}`} className="rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-base font-semibold">Certificate authority</h2>
          <p className="text-sm text-slate-500">
            {ca.kind === "root" ? "Root" : "Intermediate"} · {ca.keyAlgorithm} · <span className="capitalize">{ca.state}</span>
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
      </dl>
      <div className="mt-4">
        <ValidityBar notBefore={ca.notBefore} notAfter={ca.notAfter} />
      </div>
    </section>
  );
}
