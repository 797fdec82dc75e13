/**
 * Structured logs. The functions run with Lambda's JSON log format, which puts an object passed
 * alone to console under the record's `message` key as JSON (so its fields are `message.<field>` in
 * Logs Insights): each call here is one queryable line.
 */
export type LogFields = Record<string, unknown>;

export const log = {
  info: (message: string, fields: LogFields = {}) => console.info({ message, ...fields }),
  warn: (message: string, fields: LogFields = {}) => console.warn({ message, ...fields }),
  error: (message: string, fields: LogFields = {}) => console.error({ message, ...fields }),
};
