/** Rule parameters arrive as strings; these readers validate them with errors that name the parameter. */

export class InvalidParameterError extends Error {
  constructor(name: string, value: string, allowed: string) {
    super(`Invalid rule parameter ${name}=${JSON.stringify(value)}: must be ${allowed}`);
    this.name = 'InvalidParameterError';
  }
}

export function intParameter(params: Record<string, string>, name: string, min: number, max: number, fallback: number): number {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidParameterError(name, raw, `an integer from ${min} to ${max}`);
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
