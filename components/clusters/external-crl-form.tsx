"use client";

import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { PemField } from "@/components/ui/pem-field";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";
import { updateExternalCrlAction } from "@/lib/actions/cluster-actions";

const CLOSED = Symbol("closed");

/** Replaces the external root's CRL(s) that root.crl carries: they expire on that CA's schedule. */
export function ExternalCrlForm({ clusterId }: { clusterId: string }) {
  const { state, formAction, fieldErrors, formError } = useFormAction(updateExternalCrlAction);
  // Open from a click until a save succeeds: the result current when it was opened tells them apart.
  const [openedWith, setOpenedWith] = useState<typeof state | typeof CLOSED>(CLOSED);
  const open = openedWith !== CLOSED && (state === openedWith || !state?.ok);
  useEffect(() => {
    if (state?.ok)
      toast.success(
        `External CRL updated${state.data.nextUpdate ? `; next update ${state.data.nextUpdate.slice(0, 10)}` : ""}. Install the new root.crl on the nodes.`,
      );
  }, [state]);
  if (!open) {
    return (
      <Button variant="secondary" size="sm" onClick={() => setOpenedWith(state)}>
        Update external CRL
      </Button>
    );
  }
  return (
    <form action={formAction} className="mt-3 space-y-3" noValidate aria-label="Update the external CRL">
      <input type="hidden" name="clusterId" value={clusterId} />
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <PemField name="crlPem" label="CRLs of the external issuers" pemLabel="X509 CRL" rows={4} errors={fieldErrors?.crlPem} />
      <div className="flex gap-2">
        <div>
          <SubmitButton pendingLabel="Checking…">Save CRL</SubmitButton>
        </div>
        <Button variant="ghost" onClick={() => setOpenedWith(CLOSED)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
