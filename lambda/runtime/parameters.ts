/** Rule parameters arrive as strings; these readers validate them with errors that name the parameter. */

export class InvalidParameterError extends Error {
  constructor(name: string, value: string, allowed: string) {
    super(`Invalid rule parameter ${name}=${JSON.stringify(value)}: must be ${allowed}`);
    this.name = 'InvalidParameterError';
  }
}

export class UnknownParameterError extends Error {
  constructor(unknown: readonly string[], allowed: readonly string[]) {
    const takes = allowed.length === 0 ? 'no parameters' : [...allowed].sort().join(', ');
    super(`Unknown rule parameter(s) ${[...unknown].sort().map((k) => JSON.stringify(k)).join(', ')}: this rule takes ${takes}`);
    this.name = 'UnknownParameterError';
  }
}

/** A misspelt key ("unusedForDay") would otherwise silently leave the default in force. */
export function refuseUnknownParameters(params: Record<string, string>, allowed: readonly string[]): void {
  const unknown = Object.keys(params).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new UnknownParameterError(unknown, allowed);
}

// Decimal digits only: Number() would also take "0x1E", "3e1", "1.0", "+5" and read something the user did not write.
const DECIMAL_INTEGER = /^[0-9]+$/;
const DECIMAL_RATE = /^[0-9]+(\.[0-9]+)?$/;

export function intParameter(params: Record<string, string>, name: string, min: number, max: number, fallback: number): number {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = DECIMAL_INTEGER.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= min && n <= max)) throw new InvalidParameterError(name, raw, `an integer from ${min} to ${max}, in decimal digits only`);
  return n;
}

/** A positive request rate (per second), such as "2.5". */
export function rateParameter(params: Record<string, string>, name: string, min: number, max: number, fallback: number): number {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = DECIMAL_RATE.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(n >= min && n <= max)) {
    throw new InvalidParameterError(name, raw, `a number from ${min} to ${max}, in decimal digits with an optional fractional part such as "2.5"`);
  }
  return n;
}

export function optionalTextParameter(params: Record<string, string>, name: string, maxLength: number): string | undefined {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.length > maxLength) throw new InvalidParameterError(name, raw, `at most ${maxLength} characters`);
  return raw;
}

/** The exemptionTagKey parameter every rule takes: a tag key of at most 128 characters, or none. */
export function exemptionTagKeyParameter(params: Record<string, string>): string | undefined {
  return optionalTextParameter(params, 'exemptionTagKey', 128);
}
