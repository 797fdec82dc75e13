/**
 * Structured logs. The functions run with Lambda's JSON log format, which turns an object passed
 * to console into a JSON `message`, so each call here is one queryable line (Logs Insights).
 */
export type LogFields = Record<string, unknown>;

export const log = {
  info: (message: string, fields: LogFields = {}) => console.info({ message, ...fields }),
  warn: (message: string, fields: LogFields = {}) => console.warn({ message, ...fields }),
  error: (message: string, fields: LogFields = {}) => console.error({ message, ...fields }),
};
