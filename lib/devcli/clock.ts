/**
 * The laptop's "now" for the renewal decision. CLUSTER_TLS_CLI_NOW (an ISO 8601 time) moves it,
 * for tests only: it lets a test make a held certificate look old without waiting hours. It never
 * changes what the server issues or how long a certificate is valid.
 */
export function now(): Date {
  const moved = process.env.CLUSTER_TLS_CLI_NOW;
  if (!moved) return new Date();
  const time = new Date(moved);
  if (Number.isNaN(time.getTime())) throw new Error(`CLUSTER_TLS_CLI_NOW=${JSON.stringify(moved)} is not an ISO 8601 time`);
  return time;
}
