"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { updateUserAction } from "@/lib/actions/user-admin-actions";

/** Changing the select saves at once; the last admin cannot be demoted (the service refuses). */
export function RoleSelect({ userId, email, role }: { userId: string; email: string; role: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <select
      aria-label={`Role of ${email}`}
      defaultValue={role}
      disabled={pending}
      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      onChange={(event) => {
        const formData = new FormData();
        formData.set("userId", userId);
        formData.set("role", event.target.value);
        const select = event.target;
        startTransition(async () => {
          const result = await updateUserAction(null, formData);
          if (result.ok) toast.success(`${email} is now ${select.value}`);
          else {
            toast.error(result.error.message);
            select.value = role;
          }
        });
      }}
    >
      <option value="admin">admin</option>
      <option value="developer">developer</option>
      <option value="auditor">auditor</option>
    </select>
  );
}
