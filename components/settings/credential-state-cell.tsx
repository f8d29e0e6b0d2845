import type { ActionResult } from "@/lib/actions/action-result";
import { ActionButton } from "@/components/ui/action-button";

type CredentialState = "Active" | "Expired" | "Revoked";

const TONES: Record<CredentialState, string> = {
  Active: "bg-emerald-50 text-emerald-700",
  Expired: "bg-amber-50 text-amber-700",
  Revoked: "bg-slate-100 text-slate-600",
};

/** A credential (API token, device login) is revoked, past its expiry, or usable. */
export function credentialState(credential: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): CredentialState {
  if (credential.revokedAt) return "Revoked";
  if (credential.expiresAt && credential.expiresAt <= now) return "Expired";
  return "Active";
}

/**
 * The last cell of a credentials table: its state, and for a usable one a Revoke button that asks
 * first (revoking cannot be undone) and reports the result in a toast.
 */
export function CredentialStateCell({
  state,
  name,
  revoke,
  fields,
  consequence,
  confirmLabel,
}: {
  state: CredentialState;
  name: string;
  revoke: (previous: null, formData: FormData) => Promise<ActionResult<unknown>>;
  fields: Record<string, string>;
  /** What revoking it does, said in the confirmation. */
  consequence: string;
  confirmLabel: string;
}) {
  return (
    <td className="space-x-2 whitespace-nowrap px-5 py-3 text-right">
      <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${TONES[state]}`}>{state}</span>
      {state === "Active" ? (
        <ActionButton
          action={revoke}
          fields={fields}
          successMessage={`Revoked ${name}`}
          confirm={{ title: `Revoke “${name}”?`, body: `${consequence} This cannot be undone.`, confirmLabel }}
        >
          Revoke
        </ActionButton>
      ) : null}
    </td>
  );
}
