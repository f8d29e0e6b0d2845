"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useTransition, type ReactNode } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/actions/action-result";
import { Button } from "./button";

type ActionButtonProps<T> = {
  action: (previous: null, formData: FormData) => Promise<ActionResult<T>>;
  fields: Record<string, string>;
  children: ReactNode;
  /** The toast on success; a function when it depends on the result (counts, names). */
  successMessage: string | ((data: T) => string);
  variant?: "primary" | "secondary" | "danger" | "ghost";
  /** Destructive actions ask first, in a modal dialog (Esc cancels, focus stays inside). */
  confirm?: { title: string; body: ReactNode; confirmLabel: string; tone?: "danger" | "primary" };
  /** Where to go after success, e.g. away from a page whose object is gone. */
  redirectTo?: string;
  /** After success, e.g. to refetch a query the action changed. */
  onSuccess?: () => void;
  /** After a refusal, e.g. to put back a choice that was not saved. */
  onError?: () => void;
  disabled?: boolean;
};

/** A one-click server action (with optional confirmation) whose result is shown as a toast. */
export function ActionButton<T>({
  action,
  fields,
  children,
  successMessage,
  variant = "secondary",
  confirm,
  redirectTo,
  onSuccess,
  onError,
  disabled = false,
}: ActionButtonProps<T>) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [pending, startTransition] = useTransition();

  const run = () =>
    startTransition(async () => {
      const formData = new FormData();
      for (const [key, value] of Object.entries(fields)) formData.set(key, value);
      const result = await action(null, formData);
      dialog.current?.close();
      if (result.ok) {
        toast.success(typeof successMessage === "function" ? successMessage(result.data) : successMessage);
        onSuccess?.();
        if (redirectTo) router.push(redirectTo);
      } else {
        toast.error(result.error.message);
        onError?.();
      }
    });

  return (
    <>
      <Button
        size="sm"
        variant={variant}
        disabled={pending || disabled}
        aria-busy={pending || undefined}
        onClick={() => (confirm ? dialog.current?.showModal() : run())}
      >
        {children}
      </Button>
      {confirm ? (
        <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40">
          <div className="p-6">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {confirm.title}
            </h2>
            <div className="mt-2 text-sm text-slate-600">{confirm.body}</div>
            <div className="mt-6 flex justify-end gap-2">
              <Button variant="secondary" onClick={() => dialog.current?.close()} autoFocus>
                Cancel
              </Button>
              <Button variant={confirm.tone ?? "danger"} disabled={pending} onClick={run}>
                {pending ? "Working…" : confirm.confirmLabel}
              </Button>
            </div>
          </div>
        </dialog>
      ) : null}
    </>
  );
}
