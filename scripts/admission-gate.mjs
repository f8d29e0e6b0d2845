// Admission control for the requests Next.js handles (scripts/serve.mjs). A server-rendered page
// holds several MB until it has streamed out; with 50 in flight the heap passed 512 MB and garbage
// collection ate the CPU the renders needed (`npm run bench -- load`). The gate lets `limit`
// requests run at once and queues the rest in arrival order: a queued request costs only its
// socket, and the CPU finishes the running ones instead of time-slicing hundreds. API requests
// queue in the same line as pages: with pages alone gated, 20 API writers took 80% of the server
// and pages waited 20 s; one FIFO line gives every client its turn.

/**
 * `limit` renders at once, up to `maxQueue` waiting (types: admission-gate.d.mts). `enter`
 * resolves with the function that frees the slot, or null when the queue is full or the waiter's
 * signal aborted (its client left). `limit` ≤ 0 turns the gate off.
 */
export function createAdmissionGate({ limit, maxQueue }) {
  let running = 0;
  const queue = [];

  const release = () => {
    running--;
    // The next waiter takes the freed slot; waiters whose clients left were already removed.
    const next = queue.shift();
    if (next) next.admit();
  };
  const ticket = () => {
    let released = false;
    return () => {
      if (released) return; // a response that both finishes and closes frees its slot once
      released = true;
      release();
    };
  };

  return {
    async enter(signal) {
      if (limit <= 0) return () => {};
      if (running < limit) {
        running++;
        return ticket();
      }
      if (queue.length >= maxQueue || signal?.aborted) return null;
      return new Promise((resolve) => {
        const waiter = {
          admit: () => {
            signal?.removeEventListener("abort", abandon);
            running++;
            resolve(ticket());
          },
        };
        const abandon = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          resolve(null);
        };
        signal?.addEventListener("abort", abandon, { once: true });
        queue.push(waiter);
      });
    },
    stats: () => ({ running, queued: queue.length, limit }),
  };
}

/**
 * Which requests wait for the gate: pages (HTML, RSC navigations, server actions) and the API,
 * but not the health check and the metrics scrape (a load balancer's probe and Prometheus must
 * not queue behind the work they watch) nor Next's static files and icons.
 * @param {string | undefined} url
 */
export function passesGate(url = "/") {
  return !(
    url.startsWith("/api/health") ||
    url.startsWith("/api/metrics") ||
    url.startsWith("/_next/static/") ||
    url.startsWith("/_next/image") ||
    url === "/favicon.ico" ||
    url === "/icon.svg"
  );
}
