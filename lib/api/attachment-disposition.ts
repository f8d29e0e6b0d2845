/** Only safe characters reach the header (no path traversal or header injection via names). */
export function attachmentDisposition(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`;
}
