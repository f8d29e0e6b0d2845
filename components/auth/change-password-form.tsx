"use client";

import { changePasswordAction } from "@/lib/actions/auth-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";

export function ChangePasswordForm() {
  const { state, formAction, fieldErrors, formError } = useFormAction(changePasswordAction);
  return (
    <form action={formAction} className="max-w-sm space-y-4" noValidate>
      {state?.ok ? <FormAlert tone="success">Password changed. Your other sessions were signed out.</FormAlert> : null}
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <FormField
        name="currentPassword"
        type="password"
        label="Current password"
        autoComplete="current-password"
        errors={fieldErrors?.currentPassword}
      />
      <FormField
        name="newPassword"
        type="password"
        label="New password"
        autoComplete="new-password"
        hint="At least 12 characters."
        errors={fieldErrors?.newPassword}
      />
      <FormField
        name="confirmPassword"
        type="password"
        label="Confirm new password"
        autoComplete="new-password"
        errors={fieldErrors?.confirmPassword}
      />
      <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
    </form>
  );
}
