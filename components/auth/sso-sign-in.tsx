"use client";

import { FormAlert } from "@/components/ui/form-alert";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";
import { startSsoSignInAction } from "@/lib/actions/auth-actions";

/** "Sign in with <provider>"; `error` is why the last attempt was refused (left by the callback). */
export function SsoSignIn({ providerName, next, error }: { providerName: string; next: string; error?: string }) {
  const { formAction, formError } = useFormAction(startSsoSignInAction);
  const shown = formError ?? error;
  return (
    <form action={formAction} className="space-y-3">
      {shown ? <FormAlert>{shown}</FormAlert> : null}
      <input type="hidden" name="next" value={next} />
      <SubmitButton pendingLabel={`Going to ${providerName}…`}>Sign in with {providerName}</SubmitButton>
    </form>
  );
}
