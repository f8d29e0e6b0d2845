"use client";

import { ActionButton } from "@/components/ui/action-button";
import { FieldMessage } from "@/components/ui/field-message";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { SubmitButton } from "@/components/ui/submit-button";
import { useFormAction } from "@/components/ui/use-form-action";
import { createWebhookAction, deleteWebhookAction } from "@/lib/actions/webhook-actions";
import { formatUtc } from "@/lib/format/dates";

const EVENTS = [
  { value: "certificate.issued", label: "Certificate issued" },
  { value: "certificate.revoked", label: "Certificate revoked" },
  { value: "certificate.expiring", label: "Certificate expiring (30, 7, 1 days)" },
  { value: "ca.rotation", label: "CA rotation steps" },
  { value: "agent.install_failed", label: "Agent install failed (once per failure)" },
  { value: "agent.stale", label: "Agent stale (no report for 3 poll intervals)" },
];

type Delivery = {
  id: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
};
type Webhook = { id: string; url: string; events: string[]; createdAt: Date; createdBy: string; deliveries: Delivery[] };

/** A cluster's webhooks: add one (its signing secret shown once), delete, and each one's delivery log. */
export function WebhooksSection({ clusterId, webhooks }: { clusterId: string; webhooks: Webhook[] }) {
  const { state, formAction, fieldErrors, formError, values } = useFormAction(createWebhookAction);
  const created = state?.ok ? state.data : null;
  // After a refused submit, keep the boxes as they were (echoed one per line); all checked at first.
  const checked = (event: string) => (values.events === undefined ? true : values.events.split("\n").includes(event));
  return (
    <div className="space-y-6">
      {created ? (
        <SecretReveal
          title={`Webhook ${created.url} added. Copy its signing secret now: it will not be shown again.`}
          value={created.secret}
          testId="webhook-secret"
        />
      ) : null}
      {webhooks.length === 0 ? <p className="text-sm text-slate-500">No webhooks yet.</p> : null}
      {webhooks.map((webhook) => (
        <div key={webhook.id} className="rounded-lg border border-slate-200 p-4" aria-label={`Webhook ${webhook.url}`} role="group">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div className="min-w-0">
              <p className="break-all font-mono text-sm">{webhook.url}</p>
              <p className="mt-1 text-xs text-slate-500">
                {webhook.events.join(", ")} · added {formatUtc(webhook.createdAt)} by {webhook.createdBy}
              </p>
            </div>
            <ActionButton
              action={deleteWebhookAction}
              fields={{ webhookId: webhook.id }}
              variant="ghost"
              successMessage={`Deleted the webhook ${webhook.url}`}
              confirm={{
                title: "Delete this webhook?",
                body: `No more events go to ${webhook.url}. Its delivery log is kept.`,
                confirmLabel: "Delete webhook",
              }}
            >
              Delete
            </ActionButton>
          </div>
          {webhook.deliveries.length > 0 ? (
            <table className="mt-3 w-full text-left text-xs" aria-label={`Deliveries to ${webhook.url}`}>
              <thead className="text-slate-500">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Queued
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Event
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Status
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Attempts
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    Last answer
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {webhook.deliveries.map((d) => (
                  <tr key={d.id}>
                    <td className="py-1 pr-3 whitespace-nowrap">{formatUtc(d.createdAt)}</td>
                    <td className="py-1 pr-3 font-mono">{d.event}</td>
                    <td
                      className={`py-1 pr-3 font-medium ${d.status === "delivered" ? "text-emerald-700" : d.status === "failed" ? "text-red-700" : "text-amber-700"}`}
                    >
                      {d.status === "pending" && d.attempts > 0 ? `retry at ${formatUtc(d.nextAttemptAt)}` : d.status}
                    </td>
                    <td className="py-1 pr-3">{d.attempts}</td>
                    <td className="py-1 break-all">{d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "—")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="mt-3 text-xs text-slate-500">No deliveries yet.</p>
          )}
        </div>
      ))}
      <form action={formAction} className="space-y-4" noValidate aria-label="Add webhook">
        <input type="hidden" name="clusterId" value={clusterId} />
        {formError ? <FormAlert>{formError}</FormAlert> : null}
        <FormField
          name="url"
          label="Endpoint URL"
          placeholder="https://hooks.example.com/cluster-tls"
          defaultValue={values.url}
          errors={fieldErrors?.url}
        />
        <fieldset aria-describedby={fieldErrors?.events ? "events-error" : undefined}>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {EVENTS.map((event) => (
              <label key={event.value} className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name="events" value={event.value} defaultChecked={checked(event.value)} /> {event.label}
              </label>
            ))}
          </div>
          <FieldMessage id="events" errors={fieldErrors?.events} />
        </fieldset>
        <div className="max-w-xs">
          <SubmitButton pendingLabel="Adding…">Add webhook</SubmitButton>
        </div>
      </form>
    </div>
  );
}
