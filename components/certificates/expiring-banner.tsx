import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { daysLeft } from "@/lib/format/days";

type Owned = { id: string; databaseUser: string | null; clusterId: string; clusterName: string; notAfter: Date };

/** Your client certificates ending soon: cluster-tls cannot renew them (it never had the keys). */
export function ExpiringBanner({ certificates, now = new Date() }: { certificates: Owned[]; now?: Date }) {
  if (certificates.length === 0) return null;
  return (
    <div role="status" className="flex gap-3 rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
      <TriangleAlert aria-hidden className="mt-0.5 size-5 shrink-0" />
      <div>
        <p className="font-semibold">
          {certificates.length === 1
            ? "One of your client certificates expires soon"
            : `${certificates.length} of your client certificates expire soon`}
        </p>
        <ul className="mt-1 space-y-0.5">
          {certificates.map((cert) => {
            const days = daysLeft(cert.notAfter, now);
            return (
              <li key={cert.id}>
                <span className="font-medium">{cert.databaseUser}</span> on {cert.clusterName}:{" "}
                {days < 0 ? `expired ${-days} days ago` : days === 0 ? "expires today" : `${days} days left`} —{" "}
                <Link href={`/clusters/${cert.clusterId}#client-heading`} className="font-medium underline">
                  download a new bundle
                </Link>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
