/** A search term for LIKE/ILIKE with its wildcards (% _ \) taken literally, wrapped as "contains". */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
