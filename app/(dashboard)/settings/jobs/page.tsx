import type { Metadata } from "next";
import { connection } from "next/server";
import { ActionButton } from "@/components/ui/action-button";
import { TableHead } from "@/components/ui/table-head";
import { runJobNowAction } from "@/lib/actions/job-actions";
import { isAllowed } from "@/lib/access/permissions";
import { requireSessionContext } from "@/lib/auth/session-context";
import { formatUtc } from "@/lib/format/dates";
import { formatJobSummary } from "@/lib/format/job-summary";
import { formatRelative } from "@/lib/format/relative";
import { listJobStatus } from "@/lib/jobs/job-status";

export const metadata: Metadata = { title: "Jobs" };

const OUTCOME_TONE: Record<string, string> = { succeeded: "text-emerald-700", failed: "text-red-700", running: "text-indigo-700" };
/** Who started a run: the schedule, a change that queued work (a nudge), or else the admin's name. */
const TRIGGER_LABELS: Record<string, string> = { schedule: "Schedule", event: "After a change" };
const every = (ms: number) => (ms >= 3_600_000 ? `every ${ms / 3_600_000} h` : `every ${ms / 60_000} min`);

export default async function JobsPage() {
  await connection();
  const { db, actor: user } = await requireSessionContext();
  const { jobs, recent } = await listJobStatus(db);
  const canRun = isAllowed(user, "cluster:manage");
  const now = new Date();

  return (
    <div className="space-y-6 px-4 sm:px-8 py-8">
      <ul className="grid gap-4 lg:grid-cols-2" aria-label="Scheduled jobs">
        {jobs.map((job) => (
          <li key={job.name} className="rounded-xl border border-slate-200 bg-white p-5">
            <div className="flex items-start justify-between gap-3">
              <div>
                <h2 className="text-base font-semibold">{job.title}</h2>
                <p className="mt-1 text-sm text-slate-500">
                  {job.description} Runs {every(job.intervalMs)}, on one app instance at a time.
                </p>
              </div>
              {canRun ? (
                <ActionButton action={runJobNowAction} fields={{ job: job.name }} successMessage={`${job.title}: done`}>
                  Run now
                </ActionButton>
              ) : null}
            </div>
            <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-1.5 text-sm">
              <dt className="text-slate-500">Last run</dt>
              <dd>
                {job.last ? (
                  <>
                    <span className={`font-medium capitalize ${OUTCOME_TONE[job.last.outcome] ?? ""}`}>{job.last.outcome}</span>{" "}
                    {formatRelative(job.last.startedAt, now)}
                    {job.last.durationMs !== null ? <span className="text-slate-500"> · {job.last.durationMs} ms</span> : null}
                  </>
                ) : job.onDemand ? (
                  "Not yet — it runs when there is work"
                ) : (
                  "Not yet — the first run starts within a minute of start-up"
                )}
              </dd>
              <dt className="text-slate-500">Next run</dt>
              <dd>
                {job.onDemand
                  ? "when there is work (checked every minute)"
                  : job.nextDue
                    ? job.nextDue <= now
                      ? "due now"
                      : formatRelative(job.nextDue, now)
                    : "within a minute"}
              </dd>
              {job.lastFailure ? (
                <>
                  <dt className="text-slate-500">Last error</dt>
                  <dd className="text-red-700">
                    {job.lastFailure.error} <span className="text-slate-500">({formatUtc(job.lastFailure.startedAt)})</span>
                  </dd>
                </>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="mb-3 text-base font-semibold">
          Recent runs
        </h2>
        {recent.length === 0 ? (
          <p className="text-sm text-slate-500">No runs yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="min-w-full divide-y divide-slate-100 text-sm" aria-label="Recent job runs">
              <TableHead columns={["Job", "Started", "Outcome", "Result", "By", "Instance"]} />
              <tbody className="divide-y divide-slate-100">
                {recent.map((run) => (
                  <tr key={run.id}>
                    <td className="px-4 py-2.5 font-medium">{jobs.find((j) => j.name === run.job)?.title ?? run.job}</td>
                    <td className="whitespace-nowrap px-4 py-2.5 tabular-nums text-slate-600">{formatUtc(run.startedAt)}</td>
                    <td className={`px-4 py-2.5 font-medium capitalize ${OUTCOME_TONE[run.outcome] ?? ""}`}>{run.outcome}</td>
                    <td className={`max-w-md px-4 py-2.5 text-xs ${run.error ? "text-red-700" : "text-slate-600"}`}>
                      {run.error ?? formatJobSummary(run.summary)}
                    </td>
                    <td className="px-4 py-2.5 text-slate-600">{TRIGGER_LABELS[run.trigger] ?? run.trigger}</td>
                    <td className="px-4 py-2.5 text-xs text-slate-500">{run.instance}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
