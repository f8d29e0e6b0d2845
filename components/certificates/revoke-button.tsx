"use client";

import { useId, useRef, useTransition } from "react";
import { toast } from "sonner";
import { revokeCertificateAction } from "@/lib/actions/certificate-actions";
import { Button } from "@/components/ui/button";

const REASONS = [
  ["keyCompromise", "Key compromise"],
  ["superseded", "Superseded"],
  ["cessationOfOperation", "Cessation of operation"],
  ["affiliationChanged", "Affiliation changed"],
  ["privilegeWithdrawn", "Privilege withdrawn"],
  ["unspecified", "Unspecified"],
] as const;

/** Revoke with a reason, confirmed in a modal dialog; the CRL is re-signed at once. */
export function RevokeButton({ serial, name, size = "sm" }: { serial: string; name: string; size?: "sm" | "md" }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const reason = useRef<HTMLSelectElement>(null);
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

  return (
    <>
      <Button size={size} variant="secondary" onClick={() => dialog.current?.showModal()}>
        Revoke
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
        <div className="p-6">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            Revoke {name}?
          </h2>
          <p className="mt-2 text-sm text-slate-600">
            Serial <span className="font-mono text-xs">{serial}</span>. PostgreSQL refuses it once the new CRL is installed on the nodes. This cannot be undone.
          </p>
          <label className="mt-4 block text-sm font-medium text-slate-700">
            Reason
            <select ref={reason} defaultValue="keyCompromise" className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm">
              {REASONS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <div className="mt-6 flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
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
