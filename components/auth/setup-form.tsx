"use client";

import { setupAction } from "@/lib/actions/auth-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";

export function SetupForm() {
  const { formAction, fieldErrors, formError, values } = useFormAction(setupAction);
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <FormField name="name" label="Your name" autoComplete="name" required defaultValue={values.name} errors={fieldErrors?.name} />
      <FormField
        name="email"
        type="email"
        label="Email"
        autoComplete="username"
        required
        defaultValue={values.email}
        errors={fieldErrors?.email}
      />
      <FormField
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        required
        hint="At least 12 characters."
        errors={fieldErrors?.password}
      />
      <FormField
        name="confirmPassword"
        type="password"
        label="Confirm password"
        autoComplete="new-password"
        required
        errors={fieldErrors?.confirmPassword}
      />
      <SubmitButton pendingLabel="Creating the admin account…">Create admin account</SubmitButton>
    </form>
  );
}
