import fs from "node:fs";

/** The size of the server log now, to read only what a reload adds. */
export function logOffset(logFile: string | null): number {
  return logFile && fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
}

/**
 * PostgreSQL's reason for not taking new TLS files, from the lines its log gained since `offset`:
 * the "could not load …" line before "SSL configuration was not reloaded". null without a log.
 */
export function reloadReason(logFile: string | null, offset: number): string | null {
  if (!logFile || !fs.existsSync(logFile)) return null;
  const size = fs.statSync(logFile).size;
  if (size <= offset) return null;
  const fd = fs.openSync(logFile, "r");
  try {
    const length = Math.min(size - offset, 256 * 1024);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n");
    const index = lines.findLastIndex((line) => line.includes("SSL configuration was not reloaded"));
    if (index < 0) return null;
    const cause = lines.slice(Math.max(0, index - 3), index).filter((line) => /could not|FATAL|ERROR|private key|certificate/i.test(line));
    return [...cause, lines[index]!].map((line) => line.replace(/^.*?(LOG|FATAL|ERROR):\s+/, "")).join("; ");
  } finally {
    fs.closeSync(fd);
  }
}
