"use client";

import { CircleCheck, CircleX } from "lucide-react";
import { checkVerifyFullAction } from "@/lib/actions/node-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";

/** "Will verify-full pass?" for a name or address a client dials: each check, with its reason. */
export function VerifyFullCheck({ nodeId, hostname }: { nodeId: string; hostname: string }) {
  const { state, formAction, fieldErrors, formError, values } = useFormAction(checkVerifyFullAction);
  const result = state?.ok ? state.data : null;
  return (
    <section aria-labelledby="verify-heading" className="rounded-xl border border-slate-200 bg-white p-5">
      <h2 id="verify-heading" className="text-base font-semibold">
        Will verify-full pass?
      </h2>
      <p className="mt-1 text-sm text-slate-500">
        A client dials this name or address with the cluster&apos;s root.crt. Checks the certificate cluster-tls issued.
      </p>
      <form action={formAction} className="mt-4 flex flex-wrap items-end gap-3" aria-label="Check verify-full">
        <input type="hidden" name="nodeId" value={nodeId} />
        <div className="min-w-56 flex-1">
          <FormField
            name="host"
            label="Client dials"
            defaultValue={result?.host ?? (values.host as string | undefined) ?? hostname}
            errors={fieldErrors?.host}
          />
        </div>
        <div className="w-32">
          <SubmitButton pendingLabel="Checking…">Check</SubmitButton>
        </div>
      </form>
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      {result ? (
        <div role="status" className="mt-4">
          <p className={`text-sm font-semibold ${result.pass ? "text-emerald-700" : "text-red-700"}`}>
            {result.pass ? `verify-full to ${result.host} passes` : `verify-full to ${result.host} fails`}
          </p>
          <ul className="mt-2 space-y-1.5 text-sm" aria-label="Checks">
            {result.checks.map((check) => (
              <li key={check.check} className="flex gap-2">
                {check.ok ? (
                  <CircleCheck aria-label="passed" className="mt-0.5 size-4 shrink-0 text-emerald-600" />
                ) : (
                  <CircleX aria-label="failed" className="mt-0.5 size-4 shrink-0 text-red-600" />
                )}
                <span>
                  <span className="font-medium capitalize">{check.check}</span>: {check.detail}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
