"use client";

import { useEffect } from "react";
import { toast } from "sonner";
import { grantClusterAccessAction } from "@/lib/actions/user-admin-actions";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";

type GrantAccessFormProps = { userId: string; email: string; clusters: { id: string; name: string }[] };

/** Grants (or replaces) a developer's access to one cluster and its allowed database users. */
export function GrantAccessForm({ userId, email, clusters }: GrantAccessFormProps) {
  const { state, formAction, pending, fieldErrors, formError } = useFormAction(grantClusterAccessAction);
  useEffect(() => {
    if (state?.ok) toast.success(`Access updated for ${email}`);
    else if (formError) toast.error(formError);
  }, [state, formError, email]);
  if (clusters.length === 0) return <p className="text-xs text-slate-500">Create a cluster to grant access.</p>;
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" aria-label={`Grant cluster access to ${email}`}>
      <input type="hidden" name="userId" value={userId} />
      <label className="text-xs font-medium text-slate-600">
        Cluster
        <select name="clusterId" className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm">
          {clusters.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs font-medium text-slate-600">
        Database users
        <input
          name="databaseUsers"
          placeholder="app, reporting"
          aria-invalid={fieldErrors?.databaseUsers ? true : undefined}
          className="mt-1 block w-44 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        />
      </label>
      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
        Grant
      </Button>
      {fieldErrors?.databaseUsers ? <p className="w-full text-xs text-red-600">{fieldErrors.databaseUsers.join(" ")}</p> : null}
    </form>
  );
}
