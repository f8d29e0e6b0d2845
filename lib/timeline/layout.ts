import { formatDate } from "@/lib/format/dates";
import { DAY_MS, daysLeft } from "@/lib/format/days";

/** What an expiry timeline shows; dates are Date objects (server-rendered, never serialised). */
export type TimelineData = {
  authorities: { id: string; clusterName: string; label: string; state: string; notBefore: Date; notAfter: Date }[];
  crls: { caId: string; clusterName: string; nextUpdate: Date }[];
  certificates: {
    id: string;
    kind: "server" | "client";
    label: string;
    clusterName: string;
    href: string;
    notBefore: Date;
    notAfter: Date;
  }[];
  weeklyExpiries: { kind: "server" | "client"; weekStart: Date; count: number }[];
  totals: { server: number; client: number };
};

export const TIMELINE_RANGES = { fit: "Fit", "3m": "3 months", "1y": "1 year", all: "All" } as const;
export type TimelineRange = keyof typeof TIMELINE_RANGES;

function isTimelineRange(value: unknown): value is TimelineRange {
  return typeof value === "string" && Object.hasOwn(TIMELINE_RANGES, value);
}

/**
 * The zoom of a page's `?timeline=`. By default the window fits the certificates: a fixed year
 * hides a fleet of 397-day certificates (the CA/Browser Forum maximum many teams copy) past its edge.
 */
export function timelineRangeOf(value: unknown): TimelineRange {
  return isTimelineRange(value) ? value : "fit";
}

export type Domain = { start: Date; end: Date };

/**
 * The visible window. "fit" runs from a little before now (or the oldest expiry still listed)
 * to the last certificate's expiry plus room for its label, so every bar ends inside the plot and
 * the 30- and 7-day bands keep a readable width. Zoomed ranges start a little before now so the
 * "now" line and recent issuance show; "all" spans every CA and certificate drawn (at least the
 * next year).
 */
export function timelineDomain(range: TimelineRange, now: Date, data: TimelineData): Domain {
  const from = (days: number) => new Date(now.getTime() + days * DAY_MS);
  if (range === "3m") return { start: from(-14), end: from(92) };
  if (range === "1y") return { start: from(-30), end: from(366) };
  if (range === "fit") return fitDomain(now, data);
  const spans = [...data.authorities, ...data.certificates];
  const start = Math.min(now.getTime() - 30 * DAY_MS, ...spans.map((s) => s.notBefore.getTime()));
  const end = Math.max(now.getTime() + 366 * DAY_MS, ...spans.map((s) => s.notAfter.getTime()));
  return { start: new Date(start), end: new Date(end) };
}

function fitDomain(now: Date, data: TimelineData): Domain {
  const t = now.getTime();
  // Bars, and the weekly counts of the certificates beyond the bars; a CA's ten years would not fit.
  const ends = [
    ...data.certificates.map((c) => c.notAfter.getTime()),
    ...data.weeklyExpiries.map((w) => w.weekStart.getTime() + 7 * DAY_MS),
  ];
  const earliest = Math.min(t, ...ends);
  const start = Math.max(t - 90 * DAY_MS, Math.min(t - 14 * DAY_MS, earliest - 7 * DAY_MS));
  const latest = Math.max(t + 78 * DAY_MS, ...ends);
  const margin = Math.max(14 * DAY_MS, (latest - start) * 0.04);
  return { start: new Date(start), end: new Date(latest + margin) };
}

/** Maps a date to an x coordinate in [x0, x1], clamped so off-window spans end at the edge. */
export function timeScale({ start, end }: Domain, x0: number, x1: number) {
  const span = end.getTime() - start.getTime();
  return (date: Date) => x0 + Math.min(1, Math.max(0, (date.getTime() - start.getTime()) / span)) * (x1 - x0);
}

/** Axis ticks at month starts (quarter starts, or years, when the window is long), UTC. */
export function timeTicks({ start, end }: Domain): { at: Date; label: string }[] {
  const months = (end.getTime() - start.getTime()) / (30 * DAY_MS);
  const step = months <= 6 ? 1 : months <= 18 ? 2 : months <= 48 ? 6 : 12;
  const ticks: { at: Date; label: string }[] = [];
  const cursor = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  while (cursor.getUTCMonth() % step !== 0) cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  for (; cursor <= end; cursor.setUTCMonth(cursor.getUTCMonth() + step)) {
    const at = new Date(cursor);
    const label =
      step >= 12
        ? String(at.getUTCFullYear())
        : at.toLocaleString("en", { month: "short", year: at.getUTCMonth() === 0 || step >= 6 ? "numeric" : undefined, timeZone: "UTC" });
    ticks.push({ at, label });
  }
  return ticks;
}

export type Tone = "ok" | "warning" | "critical";

/** Colour by how soon it ends: red inside 7 days (or past), amber inside 30, green beyond. */
export function expiryTone(notAfter: Date, now: Date): Tone {
  const days = daysLeft(notAfter, now);
  return days < 7 ? "critical" : days < 30 ? "warning" : "ok";
}

/** Days left and date at a bar's end: the one thing someone on call reads off each row. */
export function endLabelText(notAfter: Date, now: Date): string {
  const days = daysLeft(notAfter, now);
  return days < 0 ? `expired ${-days} d ago · ${formatDate(notAfter)}` : `${days} d · ${formatDate(notAfter)}`;
}

export type SectionSpec = { key: string; title: string; rows: number; rowHeight: number };

/**
 * Stacks the timeline's sections (a heading, then rows) from `top` down; empty sections take no
 * room. Returns where each section's rows start, its heading line and the total height.
 */
export function stackSections(specs: SectionSpec[], top: number, heading: number, gap = 6) {
  let y = top;
  const placed = new Map<string, { headingY: number; rowsTop: number; title: string }>();
  for (const spec of specs) {
    if (spec.rows === 0) continue;
    placed.set(spec.key, { headingY: y, rowsTop: y + heading, title: spec.title });
    y += heading + spec.rows * spec.rowHeight + gap;
  }
  return { placed, height: y + 4 };
}
