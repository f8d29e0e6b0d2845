/**
 * Debug lines, written when CLUSTER_TLS_LOG_LEVEL=debug (scripts/serve.mjs checks the value at
 * start-up). `npm test` runs the e2e server at debug and searches its log for key material, so a
 * message must never carry a key, a token or a password — ids, names and outcomes only.
 */
function isDebugLogging(): boolean {
  return process.env.CLUSTER_TLS_LOG_LEVEL === "debug";
}

/** `message` is called only at debug: callers on hot paths (an audit row per node of a bulk run) pay nothing otherwise. */
export function logDebug(scope: string, message: () => string): void {
  if (isDebugLogging()) console.log(`[${scope}] ${message()}`);
}
