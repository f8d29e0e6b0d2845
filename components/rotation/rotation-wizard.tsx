"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Circle, LoaderCircle } from "lucide-react";
import { useState, type ReactNode } from "react";
import { ActionButton } from "@/components/ui/action-button";
import { DownloadLink } from "@/components/ui/download-link";
import { LaggingNodes, NodeEvidenceList } from "./rotation-evidence";
import {
  cancelRotationAction,
  createRotationCaAction,
  publishRotationCaAction,
  retireOldCaAction,
  rotationStatusAction,
  startRotationReissueAction,
} from "@/lib/actions/rotation-actions";
import { formatUtc } from "@/lib/format/dates";
import { formatFingerprint } from "@/lib/format/fingerprint";
import { KEY_ALGORITHM_OPTIONS } from "@/lib/format/key-algorithms";
import { queryKeys } from "@/lib/query/query-keys";
import type { RotationStatus, RotationStep } from "@/lib/services/rotation/rotation-status";

const STEP_ORDER: RotationStep[] = ["create", "publish", "reissue", "retire"];

type StepState = "done" | "current" | "upcoming";

function stepState(step: RotationStep, current: RotationStep): StepState {
  const at = STEP_ORDER.indexOf(current === "reissuing" ? "reissue" : current);
  const index = STEP_ORDER.indexOf(step);
  return index < at ? "done" : index === at ? "current" : "upcoming";
}

/**
 * The four steps of a CA rotation, each with its state. The server renders the first paint;
 * while step 3 runs in the background the wizard polls its progress every second.
 */
export function RotationWizard({ initial, canManage }: { initial: RotationStatus; canManage: boolean }) {
  const clusterId = initial.cluster.id;
  const queryClient = useQueryClient();
  const { data: status } = useQuery({
    queryKey: queryKeys.rotation(clusterId),
    queryFn: () => rotationStatusAction(clusterId),
    initialData: initial,
    // Step 3's progress every second; from step 2 on, what the agents report every few seconds.
    refetchInterval: (query) => (query.state.data?.step === "reissuing" ? 1000 : query.state.data?.evidence ? 5000 : false),
  });
  const [typedCount, setTypedCount] = useState("");
  const [keyAlgorithm, setKeyAlgorithm] = useState<string>(initial.cluster.keyAlgorithm);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.rotation(clusterId) });
  const { step, rotation, oldCa, newCa, dependents, evidence } = status;
  const fields = { clusterId };
  const base = `/clusters/${clusterId}`;

  return (
    <ol className="space-y-4" aria-label="CA rotation steps">
      <StepCard number={1} title="Create the new CA" state={stepState("create", step)}>
        {newCa ? (
          <CaSummary label="New CA" ca={newCa} />
        ) : (
          <>
            <p>A new root CA is generated. Nothing trusts it and it signs nothing until the next steps.</p>
            {status.lastFinished?.retiredAt ? (
              <p className="text-slate-500">The previous rotation finished {formatUtc(status.lastFinished.retiredAt)}.</p>
            ) : null}
            {canManage && !status.cluster.archived ? (
              <div className="flex flex-wrap items-end gap-3">
                <label className="text-sm">
                  <span className="mb-1 block font-medium text-slate-700">Key algorithm of the new CA</span>
                  <select
                    value={keyAlgorithm}
                    onChange={(e) => setKeyAlgorithm(e.target.value)}
                    className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm"
                  >
                    {KEY_ALGORITHM_OPTIONS.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </label>
                <ActionButton
                  action={createRotationCaAction}
                  fields={{ ...fields, keyAlgorithm }}
                  variant="primary"
                  successMessage="New CA created: publish it next."
                  onSuccess={refresh}
                >
                  Create new CA
                </ActionButton>
              </div>
            ) : null}
          </>
        )}
      </StepCard>

      <StepCard number={2} title="Publish trust of old + new" state={stepState("publish", step)}>
        <p>
          root.crt then carries both CAs, and root.crl both CRLs. Install them on every PostgreSQL node (<code>ssl_ca_file</code>,{" "}
          <code>ssl_crl_file</code>, then reload) and give every client the new root.crt before step 3: from then on servers present
          certificates from the new CA.
        </p>
        {rotation?.publishedAt ? (
          <div className="flex flex-wrap items-center gap-3">
            <span className="text-slate-500">Published {formatUtc(rotation.publishedAt)}.</span>
            <DownloadLink href={`${base}/root.crt`}>root.crt (old + new)</DownloadLink>
            <DownloadLink href={`${base}/crl`}>root.crl</DownloadLink>
          </div>
        ) : step === "publish" && canManage ? (
          <div className="flex flex-wrap gap-2">
            <ActionButton
              action={publishRotationCaAction}
              fields={fields}
              variant="primary"
              successMessage="root.crt now carries the old and the new CA."
              onSuccess={refresh}
            >
              Publish new CA
            </ActionButton>
            <CancelButton fields={fields} onSuccess={refresh} />
          </div>
        ) : null}
        {evidence ? <NodeEvidenceList evidence={evidence} aspect="trust" /> : null}
      </StepCard>

      <StepCard number={3} title="Re-issue every server certificate under the new CA" state={stepState("reissue", step)}>
        <p>
          The new CA becomes the signing CA. Each node gets a new server certificate; install each node&apos;s new bundle and reload it.
        </p>
        {rotation?.reissueStartedAt ? (
          <ReissueProgress
            done={rotation.reissueDone}
            total={rotation.reissueTotal}
            finished={rotation.reissueFinishedAt !== null}
            lastError={rotation.lastError}
          />
        ) : step === "reissue" && canManage ? (
          <div className="flex flex-wrap gap-2">
            <ActionButton
              action={startRotationReissueAction}
              fields={fields}
              variant="primary"
              successMessage="Re-issuing server certificates under the new CA."
              onSuccess={refresh}
              confirm={{
                title: "Switch to the new CA?",
                body: "From now on the new CA signs every certificate, and every server certificate is re-issued under it. Only continue once every node and client has the new root.crt.",
                confirmLabel: "Switch and re-issue",
                tone: "primary",
              }}
            >
              Start re-issue
            </ActionButton>
            <CancelButton fields={fields} onSuccess={refresh} />
          </div>
        ) : null}
        {evidence && rotation?.reissueStartedAt ? <NodeEvidenceList evidence={evidence} aspect="serve" /> : null}
      </StepCard>

      <StepCard number={4} title="Retire the old CA" state={stepState("retire", step)}>
        <p>The old CA leaves root.crt and root.crl. Certificates it signed stop working everywhere once nodes install the new files.</p>
        {oldCa ? <CaSummary label="Old CA" ca={oldCa} /> : null}
        {step === "retire" && dependents ? (
          <>
            {dependents.total > 0 ? (
              <div className="rounded-md bg-amber-50 p-3 text-amber-900 ring-1 ring-inset ring-amber-200">
                <p className="font-medium">
                  {dependents.total} active certificate{dependents.total === 1 ? "" : "s"} still signed by the old CA:
                </p>
                <ul className="mt-1 list-inside list-disc">
                  {dependents.sample.map((d) => (
                    <li key={d.id}>
                      {d.kind} <span className="font-mono text-xs">{d.commonName}</span> (serial{" "}
                      <span className="font-mono text-xs">{d.serialHex}</span>)
                    </li>
                  ))}
                  {dependents.total > dependents.sample.length ? <li>and {dependents.total - dependents.sample.length} more</li> : null}
                </ul>
                <p className="mt-1">
                  Client certificates are not re-issued for you (their keys were never stored): their owners download new bundles. Retiring
                  revokes what is left.
                </p>
              </div>
            ) : (
              <p className="text-emerald-700">No active certificate depends on the old CA any more.</p>
            )}
            {evidence && evidence.lagging.length > 0 ? (
              <LaggingNodes lagging={evidence.lagging} typed={typedCount} onType={canManage ? setTypedCount : null} />
            ) : null}
            {canManage ? (
              <ActionButton
                action={retireOldCaAction}
                fields={{
                  ...fields,
                  ...(dependents.total > 0 ? { confirm: "yes" } : {}),
                  ...(typedCount.trim() ? { confirmLaggingNodes: typedCount.trim() } : {}),
                }}
                variant="danger"
                successMessage="Old CA retired: install the new root.crt and root.crl everywhere."
                onSuccess={refresh}
                confirm={{
                  title: "Retire the old CA?",
                  body:
                    dependents.total > 0
                      ? `The ${dependents.total} certificate(s) listed are revoked and stop working. This cannot be undone.`
                      : "It leaves root.crt for good. This cannot be undone.",
                  confirmLabel: "Retire old CA",
                }}
              >
                Retire old CA
              </ActionButton>
            ) : null}
          </>
        ) : null}
      </StepCard>
    </ol>
  );
}

function StepCard({ number, title, state, children }: { number: number; title: string; state: StepState; children: ReactNode }) {
  const Icon = state === "done" ? CheckCircle2 : Circle;
  const label = state === "done" ? "done" : state === "current" ? "current step" : "not started";
  return (
    <li
      aria-current={state === "current" ? "step" : undefined}
      className={`rounded-xl border bg-white p-5 ${state === "current" ? "border-indigo-300 ring-1 ring-indigo-200" : "border-slate-200"}`}
    >
      <h2 className="flex items-center gap-2 text-base font-semibold">
        <Icon
          aria-hidden
          className={`size-5 ${state === "done" ? "text-emerald-600" : state === "current" ? "text-indigo-600" : "text-slate-300"}`}
        />
        <span>
          {number}. {title}
        </span>
        <span className="sr-only">({label})</span>
        <span
          className={`ml-auto rounded-full px-2 py-0.5 text-xs font-medium ${state === "done" ? "bg-emerald-50 text-emerald-700" : state === "current" ? "bg-indigo-50 text-indigo-700" : "bg-slate-100 text-slate-500"}`}
          aria-hidden
        >
          {label}
        </span>
      </h2>
      <div className={`mt-3 space-y-3 text-sm ${state === "upcoming" ? "text-slate-400" : "text-slate-700"}`}>{children}</div>
    </li>
  );
}

function CaSummary({ label, ca }: { label: string; ca: NonNullable<RotationStatus["newCa"]> }) {
  return (
    <dl className="grid gap-x-4 gap-y-1 text-xs sm:grid-cols-[auto_1fr]">
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-all font-mono">
        {ca.subject} · {ca.keyAlgorithm} · <span className="font-sans">{ca.state}</span>
      </dd>
      <dt className="text-slate-500">SHA-256</dt>
      <dd className="break-all font-mono">{formatFingerprint(ca.fingerprintSha256)}</dd>
    </dl>
  );
}

function ReissueProgress({
  done,
  total,
  finished,
  lastError,
}: {
  done: number;
  total: number;
  finished: boolean;
  lastError: string | null;
}) {
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2 font-medium">
        {finished ? (
          <CheckCircle2 aria-hidden className="size-4 text-emerald-600" />
        ) : (
          <LoaderCircle aria-hidden className="size-4 animate-spin text-indigo-600" />
        )}
        {finished
          ? `All ${total} server certificate${total === 1 ? "" : "s"} re-issued under the new CA.`
          : `Re-issued ${done} of ${total}…`}
      </div>
      <div
        role="progressbar"
        aria-label="Server certificates re-issued"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        className="h-2 overflow-hidden rounded-full bg-slate-100"
      >
        <div className="h-full bg-indigo-500 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      {lastError ? (
        <p className="text-red-700">
          Could not re-issue: {lastError}. It is retried by the CA rotation job; fix the cause or remove the node.
        </p>
      ) : null}
    </div>
  );
}

function CancelButton({ fields, onSuccess }: { fields: Record<string, string>; onSuccess: () => void }) {
  return (
    <ActionButton
      action={cancelRotationAction}
      fields={fields}
      variant="ghost"
      successMessage="Rotation cancelled: the new CA was dropped."
      onSuccess={onSuccess}
      confirm={{
        title: "Cancel this rotation?",
        body: "The new CA is dropped from root.crt; the old CA stays the signing CA.",
        confirmLabel: "Cancel rotation",
      }}
    >
      Cancel rotation
    </ActionButton>
  );
}
