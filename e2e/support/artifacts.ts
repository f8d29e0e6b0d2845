import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Download, Locator, Page } from "@playwright/test";
import { unzipSync } from "fflate";

/** The files of a downloaded zip, by name without the bundle's top folder. */
export async function unzipDownload(download: Download): Promise<Record<string, Uint8Array>> {
  const file = await download.path();
  const entries = unzipSync(new Uint8Array(fs.readFileSync(file)));
  return Object.fromEntries(Object.entries(entries).map(([name, data]) => [name.split("/").pop()!, data]));
}

/** Runs openssl on files written to a temp dir; returns stdout (throws with stderr on failure). */
export function openssl(files: Record<string, Uint8Array | string>, args: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctls-e2e-"));
  try {
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
    return execFileSync("openssl", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const screenshotDir = path.join(import.meta.dirname, "..", "screenshots");

/** Full-page screenshots of each page the flows visit, to look at after a run (ignored by git). */
export async function snapshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** A screenshot of one part of a page (a chart, a card), to judge it at the size it is drawn. */
export async function snapshotPart(part: Locator, name: string) {
  await part.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}
