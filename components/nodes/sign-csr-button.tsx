"use client";

import { useEffect, useId, useRef } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { PemField } from "@/components/ui/pem-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";
import { signNodeCsrAction } from "@/lib/actions/node-actions";

type SignCsrButtonProps = { nodeId: string; hostname: string; names: string[]; maxDays: number };

/**
 * "Sign CSR": the node made its own key and sends only the request. The dialog lists the names
 * the node may hold, since a CSR asking for any other is refused.
 */
export function SignCsrButton({ nodeId, hostname, names, maxDays }: SignCsrButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const titleId = useId();
  const { state, formAction, fieldErrors, formError, values } = useFormAction(signNodeCsrAction);

  useEffect(() => {
    if (!state?.ok) return;
    toast.success(
      `Signed ${state.data.hostname}'s CSR: certificate ${state.data.serial}. Its bundle carries no key: the node keeps its own.`,
    );
    dialog.current?.close();
    form.current?.reset();
  }, [state]);

  return (
    <>
      <Button size="md" variant="secondary" onClick={() => dialog.current?.showModal()}>
        Sign CSR
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-xl rounded-xl p-0 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <form ref={form} action={formAction} className="space-y-4 p-6" noValidate>
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            Sign a CSR for {hostname}
          </h2>
          <p className="text-sm text-slate-600">
            The private key stays on the node. The request may name only:{" "}
            <span className="break-all font-mono text-xs">{names.join(", ")}</span> (no names: the certificate gets them all). Renewals and
            CA rotations re-sign the same key.
          </p>
          {formError ? <FormAlert>{formError}</FormAlert> : null}
          <input type="hidden" name="nodeId" value={nodeId} />
          <PemField
            key={state?.ok ? state.data.serial : "csr"}
            name="csrPem"
            label="Certificate signing request (PEM)"
            pemLabel="CERTIFICATE REQUEST"
            required
            defaultValue={values.csrPem}
            errors={fieldErrors?.csrPem}
            accept=".csr,.pem,.req,text/plain"
          />
          <FormField
            name="days"
            label="Lifetime (days)"
            type="number"
            min={1}
            max={maxDays}
            defaultValue={values.days ?? String(maxDays)}
            errors={fieldErrors?.days}
          />
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input type="checkbox" name="revokePrevious" className="mt-0.5" defaultChecked={values.revokePrevious === "on"} />
            <span>Also revoke the previous certificate now (only once the new one is installed).</span>
          </label>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <div>
              <SubmitButton pendingLabel="Signing…">Sign CSR</SubmitButton>
            </div>
          </div>
        </form>
      </dialog>
    </>
  );
}
