/**
 * What a node's agent last reported, judged against what cluster-tls issued: one rule for the
 * node page, the nodes table and the metrics. Pure (no database): the callers load the rows.
 */

/** node_agents.last_status as recordAgentStatus stores it (older rows may lack newer fields). */
export type AgentLastStatus = {
  agentVersion?: string;
  installedSerial: string | null;
  servedSerial: string | null;
  issuedSerial?: string | null;
  rootFingerprints?: string[];
  crls?: { issuer: string; number: string | null; nextUpdate: string | null }[];
  lastInstall: { at: string; ok: boolean; error: string | null } | null;
  error: string | null;
  pollIntervalSeconds?: number;
};

/** Silent for this many of its own poll intervals, an agent is stale (agent.stale). */
export const STALE_AFTER_INTERVALS = 3;

export type AgentVerdict = "current" | "behind" | "failed" | "stale";

/** The cluster's current CRL as a node should have it: its issuer (hex of the Name DER) and number. */
export type CurrentCrl = { issuerHex: string; number: bigint };

function isAgentStale(lastSeenAt: Date, pollIntervalSeconds: number, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() > STALE_AFTER_INTERVALS * pollIntervalSeconds * 1000;
}

/** The CRL number the node has installed for the issuer of `current`, or null when it has none of it. */
export function installedCrlNumber(status: AgentLastStatus | null, current: CurrentCrl | null): bigint | null {
  if (!status?.crls || !current) return null;
  const installed = status.crls.find((crl) => crl.issuer.toLowerCase() === current.issuerHex.toLowerCase());
  return installed?.number ? BigInt(installed.number) : null;
}

/** The soonest nextUpdate of the CRLs installed on the node: OpenSSL refuses every client certificate past it. */
export function installedCrlNextUpdate(status: AgentLastStatus | null): Date | null {
  const times = (status?.crls ?? []).flatMap((crl) => (crl.nextUpdate ? [new Date(crl.nextUpdate).getTime()] : []));
  return times.length ? new Date(Math.min(...times)) : null;
}

/** Installed and served are the certificate issued now. */
export function installsIssued(status: AgentLastStatus | null, issuedSerial: string | null): boolean {
  return Boolean(status && issuedSerial && status.installedSerial === issuedSerial && status.servedSerial === issuedSerial);
}

/**
 * stale: no report for STALE_AFTER_INTERVALS polls (what it said before may no longer hold);
 * failed: its last install failed (it rolled back or installed nothing);
 * current: it installed and serves the issued certificate and holds the current CRL;
 * behind: anything else (a newer certificate or CRL is waiting for its next poll).
 */
export function agentVerdict(input: {
  status: AgentLastStatus | null;
  lastSeenAt: Date;
  pollIntervalSeconds: number;
  issuedSerial: string | null;
  currentCrl: CurrentCrl | null;
  now: Date;
}): AgentVerdict {
  const { status, issuedSerial, currentCrl } = input;
  if (isAgentStale(input.lastSeenAt, input.pollIntervalSeconds, input.now)) return "stale";
  if (status?.lastInstall && !status.lastInstall.ok) return "failed";
  if (!installsIssued(status, issuedSerial)) return "behind";
  const crlNumber = installedCrlNumber(status, currentCrl);
  if (currentCrl && (crlNumber === null || crlNumber < currentCrl.number)) return "behind";
  return "current";
}
