"use client";

import { useId, useRef, useTransition } from "react";
import { toast } from "sonner";
import { reissueNodeAction } from "@/lib/actions/node-actions";
import { Button } from "@/components/ui/button";

type ReissueButtonProps = {
  nodeId: string;
  hostname: string;
  size?: "sm" | "md";
  /** The node's certificate came from its CSR: re-issue re-signs that key (there is none here to replace it). */
  keepsNodeKey?: boolean;
};

/** Re-issue, confirmed in a modal dialog; optionally revokes the previous certificate. */
export function ReissueButton({ nodeId, hostname, size = "sm", keepsNodeKey = false }: ReissueButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const revoke = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const [pending, startTransition] = useTransition();

  const reissue = () =>
    startTransition(async () => {
      const formData = new FormData();
      formData.set("nodeId", nodeId);
      formData.set("revokePrevious", revoke.current?.checked ? "true" : "false");
      const result = await reissueNodeAction(null, formData);
      dialog.current?.close();
      if (result.ok)
        toast.success(`Re-issued ${result.data.hostname}: certificate ${result.data.serial}. Download and install its bundle.`);
      else toast.error(result.error.message);
    });

  return (
    <>
      <Button size={size} variant="secondary" onClick={() => dialog.current?.showModal()} aria-label={`Re-issue ${hostname}`}>
        Re-issue
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md rounded-xl p-0 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="p-6">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            Re-issue the certificate of {hostname}?
          </h2>
          <p className="mt-2 text-sm text-slate-600">
            {keepsNodeKey
              ? "A new certificate for the key the node made itself (its CSR), with the node's current names. The node keeps serving the old one until you install the new server.crt."
              : "A new key and certificate with the same names. The node keeps serving the old one until you install the new bundle."}
          </p>
          <label className="mt-4 flex items-start gap-2 text-sm text-slate-700">
            <input ref={revoke} type="checkbox" className="mt-0.5" />
            <span>Also revoke the previous certificate now (only once the new one is installed, or clients will be refused).</span>
          </label>
          <div className="mt-6 flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </Button>
            <Button disabled={pending} onClick={reissue}>
              {pending ? "Issuing…" : "Re-issue"}
            </Button>
          </div>
        </div>
      </dialog>
    </>
  );
}
