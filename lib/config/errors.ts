/**
 * A configuration problem the operator must fix. Start-up prints `message` as one line and exits,
 * so it must name the variable or path at fault and say what to do.
 */
export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConfigError";
  }
}
