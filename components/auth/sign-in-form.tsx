"use client";

import { signInAction } from "@/lib/actions/auth-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";

export function SignInForm({ next }: { next?: string }) {
  const { formAction, fieldErrors, formError, values } = useFormAction(signInAction);
  return (
    <form action={formAction} className="space-y-5" noValidate>
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <input type="hidden" name="next" value={next ?? "/"} />
      <FormField
        name="email"
        type="email"
        label="Email"
        autoComplete="username"
        required
        defaultValue={values.email}
        errors={fieldErrors?.email}
      />
      <FormField name="password" type="password" label="Password" autoComplete="current-password" required errors={fieldErrors?.password} />
      <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
    </form>
  );
}
