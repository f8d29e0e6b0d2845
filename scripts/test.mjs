#!/usr/bin/env node
// `npm test`: install what the suites need, then typecheck, lint, Vitest (unit + integration
// against real PostgreSQL/OpenSSL) and Playwright e2e. Ends with one line "N passed, N failed".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureNode18 } from "./test-support/node18.mjs";
import { ensureSystemPackages } from "./test-support/system-packages.mjs";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "test-results");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: process.env.CI ? "0" : "1" };

const totals = { passed: 0, failed: 0 };
const summary = [];

function run(label, command, args) {
  console.log(`\n━━━ ${label} ━━━`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

/** A check without its own test count (typecheck, lint) counts as one test. */
function runCheck(label, command, args) {
  const { ok, seconds } = run(label, command, args);
  totals[ok ? "passed" : "failed"] += 1;
  summary.push(`${label}: ${ok ? "passed" : "FAILED"} (${seconds}s)`);
}

/** A test runner that writes a JSON report; a crash without a report counts as one failure. */
function runSuite(label, command, args, reportFile, readCounts) {
  fs.rmSync(reportFile, { force: true });
  const { ok, seconds } = run(label, command, args);
  let counts = { passed: 0, failed: 1 };
  try {
    counts = readCounts(JSON.parse(fs.readFileSync(reportFile, "utf8")));
    if (!ok && counts.failed === 0) counts.failed = 1; // the runner failed outside any test
  } catch {
    console.error(`${label}: no report at ${path.relative(root, reportFile)} (the runner crashed?)`);
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  summary.push(`${label}: ${counts.passed} passed, ${counts.failed} failed (${seconds}s)`);
}

fs.mkdirSync(resultsDir, { recursive: true });
ensureSystemPackages();
ensureNode18(root);

runCheck("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);
// Build once up front: integration tests and Playwright start the production server.
runCheck("production build", process.execPath, [path.join(root, "scripts", "start.mjs"), "--build-only"]);
runCheck("lint", bin("eslint"), [".", "--max-warnings=0"]);
runCheck("format (prettier --check)", bin("prettier"), ["--check", "."]);

const vitestReport = path.join(resultsDir, "vitest.json");
runSuite(
  "unit + integration (vitest)",
  bin("vitest"),
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`],
  vitestReport,
  (report) => ({ passed: report.numPassedTests, failed: report.numFailedTests }),
);

// A fresh install each run: the setup project creates the first admin through /setup.
for (const dir of ["e2e-data", "e2e-auth", "e2e-server.log"]) fs.rmSync(path.join(root, ".tmp", dir), { recursive: true, force: true });
const e2eReport = path.join(resultsDir, "e2e-results.json");
const e2eServerLog = path.join(root, ".tmp", "e2e-server.log");
const failedBefore = totals.failed;
runSuite("end-to-end (playwright)", bin("playwright"), ["test"], e2eReport, (report) => ({
  passed: report.stats.expected + report.stats.flaky,
  failed: report.stats.unexpected,
}));
if (totals.failed > failedBefore && fs.existsSync(e2eServerLog)) {
  const lines = fs.readFileSync(e2eServerLog, "utf8").trimEnd().split("\n");
  console.log(
    `\n━━━ the e2e server's last 80 log lines (all ${lines.length}: ${path.relative(root, e2eServerLog)}) ━━━\n${lines.slice(-80).join("\n")}`,
  );
}

// Key material must never reach a log: the e2e server's output (every flow, downloads included).
runCheck("no secrets in the e2e server log", process.execPath, [
  path.join(root, "scripts", "test-support", "scan-log-for-secrets.mjs"),
  e2eServerLog,
  path.join(root, ".tmp", "e2e-data"),
]);

console.log("\n━━━ summary ━━━");
for (const line of summary) console.log(line);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
