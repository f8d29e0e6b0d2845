// Types of admission-gate.mjs (plain JS, so `npm start` runs it without a build step).
export type AdmissionGate = {
  /** Waits for a slot; the function frees it. Null: refused (queue full) or abandoned (signal aborted while queued). */
  enter(signal?: AbortSignal): Promise<(() => void) | null>;
  stats(): { running: number; queued: number; limit: number };
};
export function createAdmissionGate(options: { limit: number; maxQueue: number }): AdmissionGate;
export function passesGate(url?: string): boolean;
