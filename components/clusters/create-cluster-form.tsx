"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { toast } from "sonner";
import { createClusterAction } from "@/lib/actions/cluster-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SelectField } from "@/components/ui/select-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";
import { KEY_ALGORITHM_OPTIONS } from "@/lib/format/key-algorithms";
import { CaSourceFields } from "./ca-source-fields";
import { NamePolicyFields } from "./name-policy-fields";

export function CreateClusterForm() {
  const router = useRouter();
  const { state, formAction, fieldErrors, formError, values } = useFormAction(createClusterAction);
  useEffect(() => {
    if (!state?.ok) return;
    const { name, caKind } = state.data;
    toast.success(
      caKind ? `Created ${name} and its ${caKind} CA` : `Created ${name}: have its CSR signed by your root, then upload the certificate`,
    );
    router.push(`/clusters/${state.data.id}`);
  }, [state, router]);

  return (
    <form action={formAction} className="space-y-8" noValidate aria-label="Create cluster">
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Cluster</legend>
        <FormField
          name="name"
          label="Name"
          placeholder="orders-prod"
          hint="Lower-case letters, digits, - and _."
          defaultValue={values.name}
          errors={fieldErrors?.name}
        />
        <FormField
          name="organization"
          label="Organization (O) on certificates"
          placeholder="Acme Inc."
          defaultValue={values.organization}
          errors={fieldErrors?.organization}
        />
        <div className="md:col-span-2">
          <FormField
            name="description"
            label="Description"
            placeholder="Orders service, production"
            defaultValue={values.description}
            errors={fieldErrors?.description}
          />
        </div>
        <div className="md:col-span-2">
          <FormField
            name="sharedDnsNames"
            label="Shared DNS names"
            placeholder="pg-rw.orders.internal, pg-ro.orders.internal"
            hint="VIPs and service names every server certificate of this cluster must carry (comma-separated)."
            defaultValue={values.sharedDnsNames}
            errors={fieldErrors?.sharedDnsNames}
          />
        </div>
        <NamePolicyFields
          when="create"
          permittedNames={values.permittedNames ?? ""}
          allowWildcardNames={values.allowWildcardNames === "on"}
          fieldErrors={fieldErrors}
        />
      </fieldset>
      <fieldset className="grid gap-4 md:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Keys and lifetimes</legend>
        <SelectField
          name="keyAlgorithm"
          label="Key algorithm"
          options={KEY_ALGORITHM_OPTIONS}
          defaultValue={values.keyAlgorithm ?? "ecdsa-p256"}
          errors={fieldErrors?.keyAlgorithm}
        />
        <FormField
          name="serverCertDays"
          type="number"
          label="Server certificates (days)"
          hint="At most 398."
          defaultValue={values.serverCertDays ?? "397"}
          errors={fieldErrors?.serverCertDays}
        />
        <FormField
          name="clientCertDays"
          type="number"
          label="Client certificates (days)"
          defaultValue={values.clientCertDays ?? "365"}
          errors={fieldErrors?.clientCertDays}
        />
        <FormField
          name="renewBeforeDays"
          type="number"
          label="Renew before expiry (days)"
          defaultValue={values.renewBeforeDays ?? "30"}
          errors={fieldErrors?.renewBeforeDays}
        />
        <FormField
          name="crlDays"
          type="number"
          label="CRL lifetime (days)"
          defaultValue={values.crlDays ?? "7"}
          errors={fieldErrors?.crlDays}
        />
      </fieldset>
      <CaSourceFields values={values} fieldErrors={fieldErrors} />
      <div className="max-w-xs">
        <SubmitButton pendingLabel="Setting up the CA…">Create cluster</SubmitButton>
      </div>
    </form>
  );
}
