/**
 * A path on this site: one "/" then anything but "/" or "\", checked on the value as given and
 * percent-decoded. Browsers read "//host" and "/\host" as another host (WHATWG URL treats "\" as
 * "/" in http(s) URLs) and drop tabs and newlines before parsing ("/\t/host" is "//host"), so
 * control characters are refused anywhere. Everything else, "javascript:" and "https://…"
 * included, becomes "/".
 */
const SAME_SITE_PATH = /^\/[^/\\]/;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function isSameSitePath(value: string): boolean {
  return (value === "/" || SAME_SITE_PATH.test(value)) && !CONTROL_CHARACTER.test(value);
}

export function safeNextPath(value: unknown): string {
  if (typeof value !== "string") return "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return "/"; // malformed percent-encoding: not a path we wrote
  }
  return isSameSitePath(value) && isSameSitePath(decoded) ? value : "/";
}
