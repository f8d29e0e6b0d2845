import { StatusBadge } from "@/components/certificates/status-badge";
import { ValidityBar } from "@/components/ui/validity-bar";
import { formatUtc } from "@/lib/format/dates";
import { displayStatus } from "@/lib/format/days";
import { formatFingerprint } from "@/lib/format/fingerprint";
import type { NodeCertificate } from "@/lib/services/nodes/get-node-details";

/** The node's current server certificate as a person checks it: names, issuer, serial, validity. */
export function CertificateDetails({ certificate, now = new Date() }: { certificate: NodeCertificate; now?: Date }) {
  const names = [...certificate.dnsNames, ...certificate.ipAddresses];
  return (
    <section aria-labelledby="certificate-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="certificate-heading" className="text-base font-semibold">
          Server certificate
        </h2>
        <StatusBadge status={displayStatus(certificate.status, certificate.notAfter, now)} />
      </div>
      <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500">Subject</dt>
        <dd className="break-all font-mono text-xs leading-5">{certificate.subject}</dd>
        <dt className="text-slate-500">Names (SAN)</dt>
        <dd>
          <ul className="flex flex-wrap gap-1.5" aria-label="Subject alternative names">
            {names.map((name) => (
              <li key={name} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                {name}
              </li>
            ))}
          </ul>
        </dd>
        <dt className="text-slate-500">Issuer</dt>
        <dd className="break-all font-mono text-xs leading-5">{certificate.issuerSubject ?? "—"}</dd>
        <dt className="text-slate-500">Serial</dt>
        <dd className="break-all font-mono text-xs leading-5">{certificate.serialHex}</dd>
        <dt className="text-slate-500">Key</dt>
        <dd>
          {certificate.keyAlgorithm}
          {certificate.fromCsr ? " · from a CSR (key held by the node)" : ""}
        </dd>
        <dt className="text-slate-500">SHA-256</dt>
        <dd className="break-all font-mono text-xs leading-5">{formatFingerprint(certificate.fingerprintSha256)}</dd>
        <dt className="text-slate-500">Valid</dt>
        <dd>
          {formatUtc(certificate.notBefore)} → {formatUtc(certificate.notAfter)}
        </dd>
      </dl>
      <div className="mt-4">
        <ValidityBar notBefore={certificate.notBefore} notAfter={certificate.notAfter} now={now} />
      </div>
    </section>
  );
}
