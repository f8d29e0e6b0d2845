import fs from "node:fs";
import { writeFileAtomic } from "./atomic-file";

/**
 * Edits of a libpq connection service file (pg_service.conf) that leave every byte outside the
 * one section alone: other sections, comments, blank lines and the file's line endings.
 * libpq reads it line by line, trimming whitespace at both ends; "#" starts a comment; "[name]"
 * starts a section that runs to the next "["; inside, `key=value` with the value being the rest
 * of the line (no quoting).
 */
export type ServiceEntries = ReadonlyArray<readonly [key: string, value: string]>;

type Line = { text: string; end: string };
type Kind = { type: "blank" } | { type: "header"; name: string } | { type: "key"; key: string };

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\n|\r(?!\n)|$)/g;
  for (let match = pattern.exec(text); match && match.index < text.length; match = pattern.exec(text)) {
    lines.push({ text: match[1]!, end: match[2]! });
    if (match[2] === "") break;
  }
  return lines;
}

function kindOf(line: Line): Kind {
  const trimmed = line.text.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return { type: "blank" };
  if (trimmed.startsWith("["))
    return { type: "header", name: trimmed.slice(1, trimmed.indexOf("]") === -1 ? undefined : trimmed.indexOf("]")) };
  return { type: "key", key: trimmed.slice(0, trimmed.indexOf("=") === -1 ? undefined : trimmed.indexOf("=")) };
}

const join = (lines: Line[]) => lines.map((l) => l.text + l.end).join("");
const eolOf = (text: string) => (text.includes("\r\n") ? "\r\n" : "\n");

/** [header index, index of its last key line] of section `name`, or null. */
function findSection(lines: Line[], name: string): [number, number] | null {
  const header = lines.findIndex((line) => {
    const kind = kindOf(line);
    return kind.type === "header" && kind.name === name;
  });
  if (header === -1) return null;
  let last = header;
  for (let i = header + 1; i < lines.length; i++) {
    const kind = kindOf(lines[i]!);
    if (kind.type === "header") break;
    if (kind.type === "key") last = i;
  }
  return [header, last];
}

function assertWritable(name: string, entries: ServiceEntries): void {
  for (const [key, value] of [["section", name], ...entries] as const) {
    if (/[\r\n]/.test(value) || value !== value.trim())
      throw new Error(`pg_service.conf cannot hold ${key} ${JSON.stringify(value)} (line breaks or surrounding spaces)`);
  }
}

/** Adds section `name` at the end, or sets its keys in place when it exists (other keys in it stay). */
export function upsertServiceSection(text: string, name: string, entries: ServiceEntries): string {
  assertWritable(name, entries);
  const eol = eolOf(text);
  const lines = splitLines(text);
  const found = findSection(lines, name);
  if (!found) {
    let prefix = text;
    if (prefix !== "" && !/[\r\n]$/.test(prefix)) prefix += eol;
    if (prefix !== "") prefix += eol;
    return `${prefix}[${name}]${eol}${entries.map(([k, v]) => `${k}=${v}${eol}`).join("")}`;
  }
  const [header, last] = found;
  const wanted = new Map(entries);
  const seen = new Set<string>();
  for (let i = header + 1; i <= last; i++) {
    const kind = kindOf(lines[i]!);
    if (kind.type === "key" && wanted.has(kind.key)) {
      lines[i] = { text: `${kind.key}=${wanted.get(kind.key)}`, end: lines[i]!.end };
      seen.add(kind.key);
    }
  }
  const missing = entries.filter(([k]) => !seen.has(k)).map(([k, v]): Line => ({ text: `${k}=${v}`, end: eol }));
  if (missing.length > 0) {
    if (lines[last]!.end === "") lines[last] = { ...lines[last]!, end: eol };
    lines.splice(last + 1, 0, ...missing);
  }
  return join(lines);
}

/** Removes section `name` (its header through its last key line) and the blank line `upsert` put before it. */
export function removeServiceSection(text: string, name: string): string {
  const lines = splitLines(text);
  const found = findSection(lines, name);
  if (!found) return text;
  const [header, last] = found;
  const before = header > 0 && lines[header - 1]!.text.trim() === "" ? 1 : 0;
  lines.splice(header - before, last - header + 1 + before);
  return join(lines);
}

export function serviceSectionNames(text: string): string[] {
  return splitLines(text).flatMap((line) => {
    const kind = kindOf(line);
    return kind.type === "header" ? [kind.name] : [];
  });
}

/**
 * Applies `edit` to the service file on disk: follows a symlink (dotfile managers link it) so the
 * link stays, keeps the file's mode, and writes atomically. Returns false when nothing changed.
 */
export function editServiceFile(file: string, edit: (text: string) => string): boolean {
  const target = fs.existsSync(file) ? fs.realpathSync(file) : file;
  const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  const after = edit(before);
  if (after === before) return false;
  const mode = fs.existsSync(target) ? fs.statSync(target).mode & 0o777 : 0o600;
  writeFileAtomic(target, after, mode);
  return true;
}
