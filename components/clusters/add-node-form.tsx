"use client";

import { useEffect, useRef } from "react";
import { toast } from "sonner";
import { addNodeAction } from "@/lib/actions/node-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SelectField } from "@/components/ui/select-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";
import { NODE_ROLE_OPTIONS } from "@/lib/format/node-roles";

export function AddNodeForm({ clusterId, sharedDnsNames }: { clusterId: string; sharedDnsNames: string[] }) {
  const { state, formAction, fieldErrors, formError, values } = useFormAction(addNodeAction);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!state?.ok) return;
    toast.success(`Added ${state.data.hostname}; certificate ${state.data.serial} issued`);
    form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={formAction} className="grid gap-4 md:grid-cols-2 xl:grid-cols-5" noValidate aria-label="Add node">
      <input type="hidden" name="clusterId" value={clusterId} />
      {formError ? (
        <div className="md:col-span-2 xl:col-span-5">
          <FormAlert>{formError}</FormAlert>
        </div>
      ) : null}
      <FormField
        name="hostname"
        label="Host name"
        placeholder="db1.orders.internal"
        defaultValue={values.hostname}
        errors={fieldErrors?.hostname}
      />
      <SelectField
        name="role"
        label="Role"
        options={NODE_ROLE_OPTIONS}
        defaultValue={values.role ?? "primary"}
        errors={fieldErrors?.role}
      />
      <FormField
        name="dnsNames"
        label="Extra DNS names"
        placeholder="db1, db1.dc2.internal"
        defaultValue={values.dnsNames}
        errors={fieldErrors?.dnsNames}
      />
      <FormField
        name="ipAddresses"
        label="IP addresses"
        placeholder="10.0.0.5, fd00::5"
        defaultValue={values.ipAddresses}
        errors={fieldErrors?.ipAddresses}
      />
      <div className="flex items-end">
        <SubmitButton pendingLabel="Issuing…">Add node</SubmitButton>
      </div>
      <p className="text-xs text-slate-500 md:col-span-2 xl:col-span-5">
        The certificate also carries the cluster&apos;s shared names
        {sharedDnsNames.length ? `: ${sharedDnsNames.join(", ")}` : " (none set)"}.
      </p>
    </form>
  );
}
