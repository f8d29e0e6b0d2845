/** Median wall time of `runs` executions (after one warm-up), in milliseconds. */
export async function medianMs(runs: number, task: () => Promise<unknown> | unknown): Promise<number> {
  await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Runs `task` while a 1 ms heartbeat records the longest gap: the longest event-loop block. */
export async function longestBlockMs(task: () => Promise<unknown>): Promise<{ ms: number; blockMs: number }> {
  let last = performance.now();
  let longest = 0;
  const heartbeat = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  await task();
  const ms = performance.now() - started;
  clearInterval(heartbeat);
  return { ms, blockMs: Math.max(longest, performance.now() - last) };
}
