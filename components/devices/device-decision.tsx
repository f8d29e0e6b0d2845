"use client";

import { useTransition, useState } from "react";
import { decideDeviceAction } from "@/lib/actions/device-actions";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";

/** Approve / Deny for one user code; afterwards it says what to do next (go back to the terminal). */
export function DeviceDecision({ userCode }: { userCode: string }) {
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  const decide = (decision: "approve" | "deny") =>
    startTransition(async () => {
      const formData = new FormData();
      formData.set("userCode", userCode);
      formData.set("decision", decision);
      const result = await decideDeviceAction(null, formData);
      if (!result.ok) setOutcome({ ok: false, message: result.error.message });
      else if (decision === "approve")
        setOutcome({ ok: true, message: `Approved. ${result.data.deviceName || "The device"} is logged in: return to your terminal.` });
      else setOutcome({ ok: true, message: "Denied. cluster-tls login on that device stops with “access denied”." });
    });
  if (outcome?.ok) return <FormAlert tone="success">{outcome.message}</FormAlert>;
  return (
    <div className="space-y-3">
      {outcome ? <FormAlert>{outcome.message}</FormAlert> : null}
      <div className="flex gap-3">
        <Button className="flex-1" disabled={pending} aria-busy={pending || undefined} onClick={() => decide("approve")}>
          Approve
        </Button>
        <Button className="flex-1" variant="secondary" disabled={pending} onClick={() => decide("deny")}>
          Deny
        </Button>
      </div>
    </div>
  );
}
