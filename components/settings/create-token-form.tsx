"use client";

import { createTokenAction } from "@/lib/actions/token-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { SelectField } from "@/components/ui/select-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";

const EXPIRY = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never (not recommended)" },
];

/**
 * A developer token acts for a developer (`developers`: the active ones with cluster grants) and
 * carries their grants, so "All clusters" means all clusters granted to them, now and later.
 */
export function CreateTokenForm({
  clusters,
  developers,
}: {
  clusters: { id: string; name: string }[];
  developers: { id: string; label: string }[];
}) {
  const { state, formAction, fieldErrors, formError, values } = useFormAction(createTokenAction);
  const created = state?.ok ? state.data : null;
  return (
    <div className="space-y-5">
      {created ? (
        <SecretReveal
          title={`Token “${created.name}” created. Copy it now: it will not be shown again.`}
          value={created.token}
          testId="new-token"
        />
      ) : null}
      <form action={formAction} className="grid gap-4 md:grid-cols-2" noValidate aria-label="Create API token">
        {formError ? (
          <div className="md:col-span-2">
            <FormAlert>{formError}</FormAlert>
          </div>
        ) : null}
        <FormField name="name" label="Name" placeholder="e.g. ansible on bastion-1" defaultValue={values.name} errors={fieldErrors?.name} />
        <SelectField
          name="role"
          label="Role"
          defaultValue={values.role ?? "developer"}
          options={[
            { value: "developer", label: "developer" },
            { value: "auditor", label: "auditor" },
            { value: "admin", label: "admin" },
          ]}
          errors={fieldErrors?.role}
        />
        <SelectField
          name="user"
          label="Acts for (developer tokens)"
          defaultValue={values.user ?? ""}
          options={[
            { value: "", label: developers.length ? "Choose a developer…" : "No developer has cluster grants yet" },
            ...developers.map((d) => ({ value: d.id, label: d.label })),
          ]}
          errors={fieldErrors?.user}
        />
        <SelectField
          name="clusters"
          label="Cluster scope"
          defaultValue={values.clusters ?? ""}
          options={[
            { value: "", label: "All clusters (a developer token: all granted to its developer)" },
            ...clusters.map((c) => ({ value: c.id, label: c.name })),
          ]}
          errors={fieldErrors?.clusters}
        />
        <SelectField name="days" label="Expires after" defaultValue={values.days ?? "90"} options={EXPIRY} errors={fieldErrors?.days} />
        <div className="md:col-span-2 md:max-w-xs">
          <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
        </div>
      </form>
    </div>
  );
}
