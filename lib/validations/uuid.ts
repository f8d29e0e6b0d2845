const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a path or form value can be a row id (PostgreSQL refuses a malformed uuid with an error, not "no row"). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
