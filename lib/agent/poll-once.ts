import { fetchState, postStatus, ServerError, type ServerState } from "./api-client";
import { readMemory, writeMemory, type AgentMemory } from "./agent-state";
import type { AgentConfig } from "./config";
import { clearStaged, readLiveSet, rollBack, stageSet, swapIn } from "./install-set";
import { proveServed, servedSerial, splitAddress } from "./prove";
import { reloadServer } from "./reload";
import { dropPendingKey, keyFor, requestNewCertificate } from "./renew-key";
import { logOffset, reloadReason } from "./server-log";
import { buildStatus, installedCrlNextUpdate } from "./status-report";
import { validateSet } from "./validate-set";

export type Log = (level: "info" | "warn" | "error", message: string) => void;
export type PollResult = { outcome: "unchanged" | "installed" | "failed" | "unreachable"; message: string };
const CRL_WARNING_MS = 24 * 60 * 60 * 1000;

/**
 * One poll: fetch the node's state (If-None-Match: an idle node gets a 304), make a new key when
 * asked, and install whatever changed — validate, stage, swap, reload, prove, roll back on a
 * mismatch — then report. Never throws for a server or install problem: it is reported and logged.
 */
export async function pollOnce(config: AgentConfig, log: Log): Promise<PollResult> {
  const memory = readMemory(config.stateDir);
  let fetched: Awaited<ReturnType<typeof fetchState>>;
  try {
    fetched = await fetchState(config.server, config.credential, memory.etag);
    if (fetched?.state.renewalRequested && fetched.state.certificate) {
      log("info", "the server asked for a new key: making one here and sending its CSR");
      await requestNewCertificate(config, fetched.state.node.names);
      fetched = await fetchState(config.server, config.credential, null);
    }
  } catch (error) {
    return unreachable(config, memory, error, log);
  }
  let result: PollResult;
  if (!fetched) {
    const seen = await servedSerial(config.verifyAddress);
    memory.servedSerial = seen.serial;
    result = { outcome: "unchanged", message: "unchanged (304)" };
  } else {
    result = await install(config, memory, fetched.state, log);
    // Only a proven install is remembered: a failed one is tried again at the next poll.
    if (result.outcome !== "failed") memory.etag = fetched.etag;
  }
  memory.lastError = result.outcome === "failed" ? result.message : null;
  writeMemory(config.stateDir, memory);
  await report(config, memory, log);
  return result;
}

async function install(config: AgentConfig, memory: AgentMemory, state: ServerState, log: Log): Promise<PollResult> {
  const fail = (message: string): PollResult => {
    memory.lastInstall = { at: new Date().toISOString(), ok: false, error: message };
    log("error", message);
    return { outcome: "failed", message };
  };
  if (!state.certificate) return fail("the server has no active certificate for this node (revoked?): nothing installed");
  const live = readLiveSet(config);
  const certificate = state.certificate.certificatePem + state.certificate.chainPem;
  const set = {
    certificate,
    key: await keyFor(state.certificate.certificatePem, live.key, config),
    root: state.rootPem,
    crl: state.crlPem,
  };
  let validated: Awaited<ReturnType<typeof validateSet>>;
  try {
    validated = await validateSet(set, {
      names: state.node.names,
      verifyHost: splitAddress(config.verifyAddress).host,
      installedCrlNumbers: memory.crlNumbers,
    });
  } catch (error) {
    return fail(`nothing installed: ${(error as Error).message}`);
  }
  clearStaged(config);
  const changed = stageSet(config, set);
  if (changed.length === 0) {
    // Current files but another serial served (an agent stopped between swap and reload): reload.
    let seen = await servedSerial(config.verifyAddress);
    if (seen.serial !== validated.serial) {
      reloadServer(config);
      seen = await proveServed(config.verifyAddress, validated.serial, config.proveTimeoutSeconds * 1000);
    }
    memory.servedSerial = seen.serial;
    if (seen.serial !== validated.serial)
      return fail(`the live files hold ${validated.serial} but the server serves ${seen.serial ?? `nothing (${seen.problem})`}`);
    return { outcome: "unchanged", message: "the live files are already current" };
  }
  swapIn(config, changed);
  const offset = logOffset(config.logFile);
  const reloaded = reloadServer(config);
  const proof = await proveServed(config.verifyAddress, validated.serial, config.proveTimeoutSeconds * 1000);
  if (proof.serial !== validated.serial) {
    const reason = reloadReason(config.logFile, offset) ?? (reloaded.ok ? null : reloaded.output);
    rollBack(config, changed);
    reloadServer(config);
    const after = await servedSerial(config.verifyAddress);
    memory.servedSerial = after.serial;
    const served = proof.serial ?? `nothing (${proof.problem})`;
    return fail(
      `installed ${validated.serial} but the server serves ${served}: rolled back to the previous files${reason ? `; the server said: ${reason}` : ""}`,
    );
  }
  dropPendingKey(config, set.key);
  for (const crl of validated.crls) if (crl.number !== null) memory.crlNumbers[crl.issuer] = crl.number;
  memory.servedSerial = proof.serial;
  memory.installedSerial = validated.serial;
  memory.lastProvenAt = new Date().toISOString();
  memory.lastInstall = { at: memory.lastProvenAt, ok: true, error: null };
  const message = `installed ${changed.join(", ")}; the server serves ${validated.serial}`;
  log("info", message);
  return { outcome: "installed", message };
}

/** The server cannot be asked: keep the installed files, and warn loudly when the CRL will soon be stale. */
function unreachable(config: AgentConfig, memory: AgentMemory, error: unknown, log: Log): PollResult {
  const message = error instanceof ServerError || error instanceof Error ? error.message : String(error);
  const nextUpdate = installedCrlNextUpdate(config);
  if (nextUpdate && nextUpdate.getTime() - Date.now() < CRL_WARNING_MS) {
    // OpenSSL refuses every client certificate once the CRL is past nextUpdate.
    log(
      "error",
      `the installed CRL expires ${nextUpdate.toISOString()} and the server cannot be reached to replace it: clients will be refused from then on`,
    );
  }
  log("warn", message);
  memory.lastError = message;
  writeMemory(config.stateDir, memory);
  const status = error instanceof ServerError ? error.status : 0;
  return { outcome: status === 0 || status >= 500 ? "unreachable" : "failed", message };
}

async function report(config: AgentConfig, memory: AgentMemory, log: Log): Promise<void> {
  try {
    await postStatus(config.server, config.credential, await buildStatus(config, memory));
  } catch (error) {
    log("warn", `status not reported: ${(error as Error).message}`);
  }
}
