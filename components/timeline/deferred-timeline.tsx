import type { ComponentProps } from "react";
import type { TimelineData } from "@/lib/timeline/layout";
import { ExpiryTimeline } from "./expiry-timeline";

type DeferredTimelineProps = Omit<ComponentProps<typeof ExpiryTimeline>, "data"> & { data: Promise<TimelineData> };

/**
 * The timeline once its query answers, for a page that renders the rest first inside <Suspense>:
 * the page's status (404, 403) is decided before anything streams, the slow part follows.
 */
export async function DeferredTimeline({ data, ...props }: DeferredTimelineProps) {
  return <ExpiryTimeline data={await data} {...props} />;
}

/** Stands in for the timeline while it loads. */
export function TimelineSkeleton() {
  return (
    <section role="status" aria-live="polite" className="animate-pulse rounded-xl border border-slate-200 bg-white p-5">
      <span className="sr-only">Loading the expiry timeline…</span>
      <div className="h-5 w-40 rounded bg-slate-200" />
      <div className="mt-2 h-4 w-64 max-w-full rounded bg-slate-100" />
      <div className="mt-6 h-48 rounded bg-slate-100" />
    </section>
  );
}
