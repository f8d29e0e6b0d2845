"use client";

import { startTransition, useEffect, type FormEvent } from "react";
import { toast } from "sonner";
import { updateClusterSettingsAction } from "@/lib/actions/cluster-actions";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SelectField } from "@/components/ui/select-field";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { NamePolicyFields } from "./name-policy-fields";

const AUTH_MODES = [
  { value: "cert", label: "cert — the certificate is the login" },
  { value: "scram-cert", label: "scram-sha-256 + clientcert=verify-full — password and certificate" },
  { value: "scram", label: "scram-sha-256 over hostssl — password, TLS only" },
];

export type ClusterSettings = {
  id: string;
  description: string;
  serverCertDays: number;
  clientCertDays: number;
  renewBeforeDays: number;
  crlDays: number;
  sharedDnsNames: string[];
  allowWildcardNames: boolean;
  permittedNames: string[];
  organization: string;
  osOwner: string;
  dataDirectory: string;
  replicationUser: string;
  hbaAuthMode: string;
  loginCertHours: number;
  connectThrough: string;
  connectNodeId: string | null;
  connectHost: string | null;
  connectPort: number | null;
  connectDbname: string;
};

const CONNECT_THROUGH = [
  { value: "primary", label: "The primary node (its hostname and port)" },
  { value: "pgbouncer", label: "A PgBouncer node" },
  { value: "shared", label: "A shared name and port (VIP or service name)" },
];

/** The cluster's settings; after a failed save the typed values stay for correction. */
export function ClusterSettingsForm({
  settings,
  pgbouncerNodes = [],
}: {
  settings: ClusterSettings;
  pgbouncerNodes?: { id: string; hostname: string }[];
}) {
  const { state, formAction, pending, fieldErrors, formError, values } = useFormAction(updateClusterSettingsAction);
  useEffect(() => {
    if (state?.ok) toast.success(`Saved the settings of ${state.data.name}`);
  }, [state]);
  // Submitted by hand, not as <form action>: React resets an action form after it runs, and its
  // selects would fall back to the first option while showing a "saved" toast.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    startTransition(() => formAction(formData));
  };
  // After a failed save the form shows what was typed; an unchecked box sends nothing.
  const submitted = Object.keys(values).length > 0;
  const value = (name: keyof ClusterSettings) =>
    (values[name] as string | undefined) ??
    String(Array.isArray(settings[name]) ? (settings[name] as string[]).join(", ") : (settings[name] ?? ""));

  return (
    <form onSubmit={submit} className="space-y-8" noValidate aria-label="Cluster settings">
      <input type="hidden" name="clusterId" value={settings.id} />
      {formError ? <FormAlert>{formError}</FormAlert> : null}
      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Certificates issued from now on</legend>
        <FormField
          name="serverCertDays"
          type="number"
          label="Server certificates (days)"
          hint="At most 398 (the CA/Browser Forum limit clients enforce)."
          defaultValue={value("serverCertDays")}
          errors={fieldErrors?.serverCertDays}
        />
        <FormField
          name="clientCertDays"
          type="number"
          label="Client certificates (days)"
          defaultValue={value("clientCertDays")}
          errors={fieldErrors?.clientCertDays}
        />
        <FormField
          name="renewBeforeDays"
          type="number"
          label="Renew before expiry (days)"
          defaultValue={value("renewBeforeDays")}
          errors={fieldErrors?.renewBeforeDays}
        />
        <FormField name="crlDays" type="number" label="CRL lifetime (days)" defaultValue={value("crlDays")} errors={fieldErrors?.crlDays} />
        <FormField
          name="sharedDnsNames"
          label="Shared DNS names"
          hint="VIPs and service names every server certificate carries, comma-separated."
          defaultValue={value("sharedDnsNames")}
          errors={fieldErrors?.sharedDnsNames}
        />
        <FormField
          name="organization"
          label="Organization (O) on certificates"
          defaultValue={value("organization")}
          errors={fieldErrors?.organization}
        />
        <NamePolicyFields
          when="settings"
          permittedNames={value("permittedNames")}
          allowWildcardNames={submitted ? values.allowWildcardNames === "on" : settings.allowWildcardNames}
          fieldErrors={fieldErrors}
        />
      </fieldset>
      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Server bundles</legend>
        <FormField
          name="dataDirectory"
          label="Data directory"
          hint="Where install.sh puts the files."
          defaultValue={value("dataDirectory")}
          errors={fieldErrors?.dataDirectory}
        />
        <FormField
          name="osOwner"
          label="OS owner of the files"
          hint="postgres, or enterprisedb for EDB."
          defaultValue={value("osOwner")}
          errors={fieldErrors?.osOwner}
        />
        <FormField
          name="replicationUser"
          label="Replication user"
          defaultValue={value("replicationUser")}
          errors={fieldErrors?.replicationUser}
        />
        <SelectField
          name="hbaAuthMode"
          label="pg_hba.conf authentication"
          options={AUTH_MODES}
          defaultValue={value("hbaAuthMode")}
          errors={fieldErrors?.hbaAuthMode}
        />
        <div className="md:col-span-2">
          <FormField name="description" label="Description" defaultValue={value("description")} errors={fieldErrors?.description} />
        </div>
      </fieldset>
      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold text-slate-900">Developer login (cluster-tls connect)</legend>
        <FormField
          name="loginCertHours"
          type="number"
          label="Login certificate lifetime (hours)"
          hint="1 to 168. Short lifetimes end access where no CRL is read (PgBouncer)."
          defaultValue={value("loginCertHours")}
          errors={fieldErrors?.loginCertHours}
        />
        <SelectField
          name="connectThrough"
          label="Connect through"
          options={CONNECT_THROUGH}
          defaultValue={value("connectThrough")}
          errors={fieldErrors?.connectThrough}
        />
        <SelectField
          name="connectNodeId"
          label="PgBouncer node"
          options={[{ value: "", label: "The first PgBouncer node" }, ...pgbouncerNodes.map((n) => ({ value: n.id, label: n.hostname }))]}
          defaultValue={value("connectNodeId")}
          errors={fieldErrors?.connectNodeId}
        />
        <FormField
          name="connectHost"
          label="Shared name"
          hint="For “a shared name and port”: a name every server certificate carries."
          defaultValue={value("connectHost")}
          errors={fieldErrors?.connectHost}
        />
        <FormField
          name="connectPort"
          type="number"
          label="Shared port"
          hint="Default 5432."
          defaultValue={value("connectPort")}
          errors={fieldErrors?.connectPort}
        />
        <FormField name="connectDbname" label="Database name" defaultValue={value("connectDbname")} errors={fieldErrors?.connectDbname} />
      </fieldset>
      <Button type="submit" disabled={pending} aria-busy={pending || undefined} className="w-full max-w-xs">
        {pending ? "Saving…" : "Save settings"}
      </Button>
    </form>
  );
}
