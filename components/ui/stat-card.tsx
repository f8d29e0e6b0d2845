type StatCardProps = { label: string; value: number | string; hint?: string; tone?: "default" | "warning" | "danger" };

const TONES = { default: "text-slate-900", warning: "text-amber-600", danger: "text-red-600" };

export function StatCard({ label, value, hint, tone = "default" }: StatCardProps) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <dt className="text-sm font-medium text-slate-500">{label}</dt>
      <dd className={`mt-2 text-3xl font-semibold tabular-nums ${TONES[tone]}`}>{value}</dd>
      {hint ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}
