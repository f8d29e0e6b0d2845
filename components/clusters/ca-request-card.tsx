"use client";

import { Copy, Download } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { PemField } from "@/components/ui/pem-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";
import { completeCaRequestAction } from "@/lib/actions/cluster-actions";

/**
 * Toasts before the page re-renders: on success this card leaves the page (the cluster has its
 * CA now), so an effect watching the result would never run.
 */
const completeWithToast: typeof completeCaRequestAction = async (previous, formData) => {
  const result = await completeCaRequestAction(previous, formData);
  if (result.ok) toast.success(`${result.data.clusterName} now signs with its intermediate CA (issued by ${result.data.issuer})`);
  return result;
};

type CaRequestCardProps = { clusterId: string; clusterName: string; subject: string; csrPem: string; canManage: boolean };

/**
 * A cluster waiting for its intermediate CA: the CSR to hand to the external root's operators,
 * and (for admins) the form that takes the signed certificate, the chain and the root's CRL.
 */
export function CaRequestCard({ clusterId, clusterName, subject, csrPem, canManage }: CaRequestCardProps) {
  const { formAction, fieldErrors, formError, values } = useFormAction(completeWithToast);

  const download = () => {
    const url = URL.createObjectURL(new Blob([csrPem], { type: "application/pkcs10" }));
    Object.assign(document.createElement("a"), { href: url, download: `${clusterName}-intermediate.csr` }).click();
    URL.revokeObjectURL(url);
  };
  const copy = async () => {
    await navigator.clipboard.writeText(csrPem).then(
      () => toast.success("CSR copied"),
      () => toast.error("Copy failed: select the text instead"),
    );
  };

  return (
    <section aria-labelledby="ca-request-heading" className="rounded-xl border border-amber-200 bg-amber-50/60 p-5 xl:col-span-3">
      <h2 id="ca-request-heading" className="text-base font-semibold text-amber-950">
        Waiting for the intermediate CA certificate
      </h2>
      <p className="mt-1 text-sm text-amber-900">
        Have your organisation&apos;s root CA sign this request as an intermediate CA (CA:true, pathlen 0, keyCertSign + cRLSign). Until the
        signed certificate is uploaded, {clusterName} issues no certificates. Subject: <span className="font-mono text-xs">{subject}</span>
      </p>
      <div className="mt-4 grid gap-6 lg:grid-cols-2">
        <div className="space-y-2">
          <label htmlFor="ca-request-csr" className="block text-sm font-medium text-slate-700">
            Certificate signing request
          </label>
          <textarea
            id="ca-request-csr"
            readOnly
            rows={10}
            value={csrPem}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs"
          />
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" onClick={download}>
              <Download aria-hidden className="size-3.5" /> Download .csr
            </Button>
            <Button variant="secondary" size="sm" onClick={copy}>
              <Copy aria-hidden className="size-3.5" /> Copy
            </Button>
          </div>
        </div>
        {canManage ? (
          <form action={formAction} className="space-y-4" noValidate aria-label="Upload the signed intermediate CA">
            <input type="hidden" name="clusterId" value={clusterId} />
            {formError ? <FormAlert>{formError}</FormAlert> : null}
            <PemField
              name="certificatePem"
              label="Signed intermediate certificate"
              pemLabel="CERTIFICATE"
              rows={4}
              defaultValue={values.certificatePem}
              errors={fieldErrors?.certificatePem}
            />
            <PemField
              name="chainPem"
              label="Issuer chain up to the root"
              pemLabel="CERTIFICATE"
              rows={4}
              defaultValue={values.chainPem}
              errors={fieldErrors?.chainPem}
              hint="The external root (and any CA between it and this intermediate)."
            />
            <PemField
              name="crlPem"
              label="CRLs of those issuers"
              pemLabel="X509 CRL"
              rows={4}
              defaultValue={values.crlPem}
              errors={fieldErrors?.crlPem}
              hint="PostgreSQL checks every CA of a client's chain against root.crl."
            />
            <div className="max-w-xs">
              <SubmitButton pendingLabel="Checking the chain…">Use this certificate</SubmitButton>
            </div>
          </form>
        ) : (
          <p className="text-sm text-slate-600">An admin uploads the signed certificate here.</p>
        )}
      </div>
    </section>
  );
}
