"use client";

import { useState } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { updateUserAction } from "@/lib/actions/user-admin-actions";

const ROLES = ["admin", "developer", "auditor"] as const;
const ARTICLE: Record<string, string> = { admin: "an", developer: "a", auditor: "an" };

/**
 * Picking a role saves nothing: a select changes with a stray arrow key, and a role is a grant.
 * Save asks first, naming the user and the new role; the last admin cannot be demoted (the
 * service refuses, and the select goes back).
 */
export function RoleSelect({ userId, email, role }: { userId: string; email: string; role: string }) {
  const [choice, setChoice] = useState(role);
  const [savedRole, setSavedRole] = useState(role);
  // The page re-renders with the saved role after revalidation: follow it.
  if (savedRole !== role) {
    setSavedRole(role);
    setChoice(role);
  }
  const changed = choice !== role;
  return (
    <div className="flex items-center gap-2">
      <select
        aria-label={`Role of ${email}`}
        value={choice}
        onChange={(event) => setChoice(event.target.value)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {changed ? (
        <ActionButton
          action={updateUserAction}
          fields={{ userId, role: choice }}
          successMessage={`${email} is now ${ARTICLE[choice] ?? "a"} ${choice}`}
          onError={() => setChoice(role)}
          confirm={{
            title: `Make ${email} ${ARTICLE[choice] ?? "a"} ${choice}?`,
            body: `${email} changes from ${role} to ${choice}${choice === "admin" ? ": admins manage every cluster, user and token" : ""}. The change is recorded in the audit log.`,
            confirmLabel: "Change role",
            tone: "primary",
          }}
        >
          Save role
        </ActionButton>
      ) : null}
    </div>
  );
}
