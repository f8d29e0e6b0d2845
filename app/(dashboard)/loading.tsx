/** Shown while a dashboard page loads its data (the sidebar stays). */
export default function DashboardLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading…</span>
      <div className="border-b border-slate-200 bg-white px-8 py-6">
        <div className="h-7 w-48 rounded bg-slate-200" />
        <div className="mt-2 h-4 w-80 rounded bg-slate-100" />
      </div>
      <div className="grid grid-cols-2 gap-4 px-8 py-8 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-28 rounded-xl border border-slate-200 bg-white" />
        ))}
      </div>
    </div>
  );
}
