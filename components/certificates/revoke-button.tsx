"use client";

import { useId, useRef, useTransition } from "react";
import { toast } from "sonner";
import { revokeCertificateAction } from "@/lib/actions/certificate-actions";
import { Button } from "@/components/ui/button";
import { defaultRevocationReason } from "@/lib/format/revocation-reason";

const REASONS = [
  ["keyCompromise", "Key compromise"],
  ["superseded", "Superseded"],
  ["cessationOfOperation", "Cessation of operation"],
  ["affiliationChanged", "Affiliation changed"],
  ["privilegeWithdrawn", "Privilege withdrawn"],
  ["unspecified", "Unspecified"],
] as const;

type RevokeButtonProps = {
  serial: string;
  name: string;
  size?: "sm" | "md";
  /** A newer certificate replaced this one. */ hasNewer?: boolean;
};

/**
 * Revoke with a reason, confirmed in a modal dialog; the CRL is re-signed at once. The dialog
 * opens on Cancel and a neutral reason, so Enter or a stray click revokes nothing as compromised.
 */
export function RevokeButton({ serial, name, size = "sm", hasNewer = false }: RevokeButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const reason = useRef<HTMLSelectElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const [pending, startTransition] = useTransition();

  const revoke = () =>
    startTransition(async () => {
      const formData = new FormData();
      formData.set("serial", serial);
      formData.set("reason", reason.current?.value ?? "unspecified");
      const result = await revokeCertificateAction(null, formData);
      dialog.current?.close();
      if (result.ok) toast.success(`Revoked ${name}; CRL ${result.data.crlNumber} published`);
      else toast.error(result.error.message);
    });

  // showModal() focuses the first focusable element (the reason select) and React's autoFocus
  // only acts on mount, so Cancel takes the focus here; the reason starts on the default again.
  const open = () => {
    if (reason.current) reason.current.value = defaultRevocationReason({ hasNewer });
    dialog.current?.showModal();
    cancel.current?.focus();
  };

  return (
    <>
      <Button size={size} variant="secondary" onClick={open}>
        Revoke
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
        <div className="p-6">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            Revoke {name}?
          </h2>
          <p className="mt-2 text-sm text-slate-600">
            Serial <span className="font-mono text-xs">{serial}</span>. PostgreSQL refuses it once the new CRL is installed on the nodes.
            This cannot be undone.
          </p>
          <label className="mt-4 block text-sm font-medium text-slate-700">
            Reason
            <select
              ref={reason}
              defaultValue={defaultRevocationReason({ hasNewer })}
              className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
            >
              {REASONS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <div className="mt-6 flex justify-end gap-2">
            <Button ref={cancel} variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button variant="danger" disabled={pending} onClick={revoke}>
              {pending ? "Revoking…" : "Revoke certificate"}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
