/** Where scripts/serve.mjs (plain JS, outside the bundles) publishes its admission gate's counts. */
const ADMISSION_GATE = Symbol.for("cluster-tls.admission-gate");

export type AdmissionStats = { running: number; queued: number; limit: number };

/** The gate's counts now, or null when the server runs without it (`next dev`, tests in process). */
export function admissionStats(): AdmissionStats | null {
  const gate = (globalThis as Record<symbol, { stats: () => AdmissionStats } | undefined>)[ADMISSION_GATE];
  return gate ? gate.stats() : null;
}
