"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { toast } from "sonner";
import { archiveClusterAction } from "@/lib/actions/cluster-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { useFormAction } from "@/components/ui/use-form-action";

/** Archiving is irreversible from the UI: the admin types the cluster's name to confirm. */
export function ArchiveClusterForm({ clusterId, name, archivedAt }: { clusterId: string; name: string; archivedAt: Date | null }) {
  const router = useRouter();
  const { state, formAction, pending, fieldErrors, formError } = useFormAction(archiveClusterAction);
  useEffect(() => {
    if (!state?.ok) return;
    toast.success(`Archived ${state.data.name}; its history is kept`);
    router.push("/clusters");
  }, [state, router]);

  // Stays mounted once archived (the page re-renders first), so the toast and redirect still run.
  if (archivedAt)
    return <p className="text-sm font-medium text-slate-700">Archived {archivedAt.toISOString().slice(0, 16).replace("T", " ")} UTC.</p>;
  return (
    <form action={formAction} aria-label="Archive cluster" className="space-y-3">
      <input type="hidden" name="clusterId" value={clusterId} />
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <div className="max-w-sm">
        <FormField name="confirmName" label={`Type ${name} to confirm`} autoComplete="off" errors={fieldErrors?.confirmName} />
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-red-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-red-500 disabled:opacity-60"
      >
        {pending ? "Archiving…" : "Archive cluster"}
      </button>
    </form>
  );
}
