import { daysLeft as daysUntil } from "@/lib/format/days";

/** How much of a certificate's life is used, with days left; amber under 30 days, red under 7. */
export function ValidityBar({ notBefore, notAfter, now = new Date() }: { notBefore: Date; notAfter: Date; now?: Date }) {
  const total = notAfter.getTime() - notBefore.getTime();
  const used = Math.min(100, Math.max(0, ((now.getTime() - notBefore.getTime()) / total) * 100));
  const daysLeft = daysUntil(notAfter, now);
  const tone = daysLeft < 7 ? "bg-red-500" : daysLeft < 30 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div>
      <div
        role="meter"
        aria-label="Validity used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(used)}
        aria-valuetext={daysLeft >= 0 ? `${daysLeft} days left` : "expired"}
        className="h-2 overflow-hidden rounded-full bg-slate-100"
      >
        <div className={`h-full ${tone}`} style={{ width: `${used}%` }} />
      </div>
      <div className="mt-1 flex justify-between text-xs text-slate-500">
        <span>{notBefore.toISOString().slice(0, 10)}</span>
        <span className="font-medium text-slate-700">{daysLeft >= 0 ? `${daysLeft} days left` : "expired"}</span>
        <span>{notAfter.toISOString().slice(0, 10)}</span>
      </div>
    </div>
  );
}
