"use client";

import { useState } from "react";
import { PemField } from "@/components/ui/pem-field";
import type { CaSource } from "@/lib/validations/clusters";

const SOURCES: { value: CaSource; label: string; description: string }[] = [
  { value: "generate", label: "New root CA", description: "cluster-tls generates a root CA for this cluster. The usual choice." },
  {
    value: "import",
    label: "Import an existing CA",
    description: "Upload a CA certificate and its private key (PKCS#8 PEM). An intermediate also needs its chain and the chain's CRLs.",
  },
  {
    value: "csr",
    label: "Intermediate under an external root",
    description:
      "cluster-tls makes the key and a CSR; your organisation's root signs it and you upload the certificate on the cluster page.",
  },
];

type CaSourceFieldsProps = { values: Record<string, string | undefined>; fieldErrors?: Record<string, string[] | undefined> };

/** The "Certificate authority" part of the create-cluster form: where the cluster's CA comes from. */
export function CaSourceFields({ values, fieldErrors }: CaSourceFieldsProps) {
  const [source, setSource] = useState<CaSource>((values.ca as CaSource | undefined) ?? "generate");
  return (
    <fieldset className="space-y-4">
      <legend className="mb-2 text-sm font-semibold text-slate-900">Certificate authority</legend>
      <div role="radiogroup" aria-label="Certificate authority" className="grid gap-3 md:grid-cols-3">
        {SOURCES.map((option) => (
          <label
            key={option.value}
            className={`flex cursor-pointer gap-3 rounded-lg border p-3 text-sm ${source === option.value ? "border-indigo-500 bg-indigo-50/60 ring-1 ring-indigo-500" : "border-slate-200 bg-white hover:border-slate-300"}`}
          >
            <input
              type="radio"
              name="ca"
              value={option.value}
              checked={source === option.value}
              onChange={() => setSource(option.value)}
              className="mt-0.5"
            />
            <span>
              <span className="block font-medium text-slate-900">{option.label}</span>
              <span className="mt-0.5 block text-xs text-slate-600">{option.description}</span>
            </span>
          </label>
        ))}
      </div>
      {source === "import" ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <PemField
            name="caCertificatePem"
            label="CA certificate"
            pemLabel="CERTIFICATE"
            defaultValue={values.caCertificatePem}
            errors={fieldErrors?.caCertificatePem}
          />
          <PemField
            name="caPrivateKeyPem"
            label="CA private key"
            pemLabel="PRIVATE KEY"
            defaultValue=""
            errors={fieldErrors?.caPrivateKeyPem}
            hint="Unencrypted PKCS#8. Stored encrypted under the master key; never shown again."
          />
          <PemField
            name="caChainPem"
            label="Issuer chain (intermediate CAs only)"
            pemLabel="CERTIFICATE"
            defaultValue={values.caChainPem}
            errors={fieldErrors?.caChainPem}
            hint="Every issuer above this CA, up to and including the self-signed root."
          />
          <PemField
            name="caCrlPem"
            label="CRLs of the issuers (intermediate CAs only)"
            pemLabel="X509 CRL"
            defaultValue={values.caCrlPem}
            errors={fieldErrors?.caCrlPem}
            hint="PostgreSQL checks every CA of a client's chain against root.crl."
          />
        </div>
      ) : null}
      {source === "csr" ? (
        <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200">
          After creating the cluster you get the intermediate&apos;s CSR (CA:true, pathlen 0). Until the signed certificate is uploaded, the
          cluster issues no certificates.
        </p>
      ) : null}
    </fieldset>
  );
}
