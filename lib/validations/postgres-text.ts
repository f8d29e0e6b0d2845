/**
 * PostgreSQL text cannot hold U+0000: a NUL in a parameter fails the query ("invalid byte
 * sequence for encoding UTF8: 0x00"). Input is checked for it at every boundary — API path
 * parameters and JSON bodies, form fields, search boxes — so it is refused by name, never a 500.
 * Found by the API fuzz test.
 */
export function containsNul(value: string): boolean {
  return value.includes("\u0000");
}

/** The first place in a parsed JSON value that holds a NUL, as a dotted path ("" for the root). */
export function nulPath(value: unknown, at = ""): string | null {
  if (typeof value === "string") return containsNul(value) ? at || "(body)" : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (containsNul(key)) return at ? `${at}.${key.replace(/\u0000/g, "\\0")}` : key.replace(/\u0000/g, "\\0");
      const found = nulPath(item, at ? `${at}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** Search text from a query string: NULs dropped (they can match nothing anyway). */
export function searchText(value: string | undefined): string | undefined {
  return value?.replace(/\u0000/g, "");
}
