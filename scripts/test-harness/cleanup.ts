/**
 * Servers still running when the process ends (a failed test, Ctrl-C, a killed worker) are
 * stopped and their directories removed here, synchronously.
 */
const live = new Map<string, () => void>();
let installed = false;

function stopAll(): void {
  for (const [key, stop] of live) {
    live.delete(key);
    try {
      stop();
    } catch {
      // best effort: keep stopping the others
    }
  }
}

export function registerForCleanup(key: string, stop: () => void): void {
  live.set(key, stop);
  if (installed) return;
  installed = true;
  process.on("exit", stopAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      stopAll();
      process.kill(process.pid, signal); // re-raise: keep the default exit status for the signal
    });
  }
}

export function unregister(key: string): void {
  live.delete(key);
}
