"use client";

import { useEffect, useRef } from "react";
import { toast } from "sonner";
import { createUserAction } from "@/lib/actions/user-admin-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SelectField } from "@/components/ui/select-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";

const ROLE_OPTIONS = [
  { value: "developer", label: "Developer — client bundles for granted database users" },
  { value: "auditor", label: "Auditor — read-only, including the audit log" },
  { value: "admin", label: "Admin — everything" },
];

export function CreateUserForm() {
  const { state, formAction, fieldErrors, formError, values } = useFormAction(createUserAction);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) toast.success(`Created ${state.data.email}. Share the initial password with them securely.`);
  }, [state]);
  return (
    <form ref={form} action={formAction} className="grid gap-4 md:grid-cols-2" noValidate aria-label="Add user">
      {formError ? (
        <div className="md:col-span-2">
          <FormAlert>{formError}</FormAlert>
        </div>
      ) : null}
      <FormField name="name" label="Name" defaultValue={values.name} errors={fieldErrors?.name} />
      <FormField name="email" type="email" label="Email" defaultValue={values.email} errors={fieldErrors?.email} />
      <FormField
        name="password"
        type="password"
        label="Initial password"
        autoComplete="new-password"
        hint="At least 12 characters."
        errors={fieldErrors?.password}
      />
      <SelectField name="role" label="Role" options={ROLE_OPTIONS} defaultValue={values.role ?? "developer"} errors={fieldErrors?.role} />
      <div className="md:col-span-2 md:max-w-xs">
        <SubmitButton pendingLabel="Adding…">Add user</SubmitButton>
      </div>
    </form>
  );
}
