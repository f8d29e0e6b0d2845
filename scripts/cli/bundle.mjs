// The operations CLI (scripts/cli.ts) as one ESM file, dist/cli.mjs: tsx compiled ~70 TypeScript
// modules on every start (3.8 s a command); a bundle starts like any Node script. Unlike the agent
// it runs inside this checkout, so packages stay in node_modules (external): PGlite finds its wasm
// and data files beside its own module, pg's optional native binding stays optional, and drizzle's
// migrator reads drizzle/ as before.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");
export const cliBundle = path.join(root, "dist", "cli.mjs");
/** The bundle's inputs (esbuild's metafile), checked by `ensureCliBundle` against the bundle's age. */
const inputsFile = path.join(root, "dist", "cli.inputs.json");

/**
 * Bare imports stay external, except `server-only`: Node would resolve it without the
 * react-server condition to its throwing entry, so it is bundled as esbuild resolves it under
 * that condition (an empty module).
 */
const keepPackagesExternal = {
  name: "packages-external",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path === "server-only" || args.path.startsWith("@/") ? undefined : { path: args.path, external: true },
    );
  },
};

export async function buildCliBundle() {
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root, // metafile paths relative to the checkout
    entryPoints: [path.join(root, "scripts", "cli.ts")],
    outdir: path.dirname(cliBundle),
    // The code that opens a database is a chunk of its own, loaded only when the command does
    // (not when it goes through the running server).
    splitting: true,
    entryNames: "[name]",
    chunkNames: "cli-chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    write: false,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    conditions: ["react-server"],
    tsconfig: path.join(root, "tsconfig.json"),
    plugins: [keepPackagesExternal],
    metafile: true,
    legalComments: "none",
    logLevel: "warning",
  });
  const inputs = [...Object.keys(result.metafile.inputs), "scripts/cli/bundle.mjs", "tsconfig.json", "package.json"];
  // Chunks are named by content hash, so concurrent builders (parallel test files) write
  // identical files; each file is renamed into place and the entry last, after the inputs list:
  // nobody runs a half-written file or takes an old bundle for fresh.
  const entry = result.outputFiles.find((file) => file.path === cliBundle);
  const writeAtomically = (file, contents) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp-${process.pid}`, contents);
    fs.renameSync(`${file}.tmp-${process.pid}`, file);
  };
  for (const file of result.outputFiles) if (file !== entry) writeAtomically(file.path, file.contents);
  writeAtomically(inputsFile, JSON.stringify(inputs));
  writeAtomically(cliBundle, entry.contents);
  return cliBundle;
}

/** Whether dist/cli.mjs exists and is newer than every file it was built from. */
export function cliBundleIsFresh() {
  let builtAt;
  let inputs;
  try {
    builtAt = fs.statSync(cliBundle).mtimeMs;
    inputs = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
  } catch {
    return false;
  }
  return inputs.every((input) => {
    try {
      return fs.statSync(path.join(root, input)).mtimeMs <= builtAt;
    } catch {
      return false; // an input was deleted or moved: rebuild
    }
  });
}

/** dist/cli.mjs, built first when missing or stale (a fresh clone, an edited source file). */
export async function ensureCliBundle() {
  return cliBundleIsFresh() ? cliBundle : buildCliBundle();
}
