/**
 * Each run's counts as CloudWatch metrics, in the Embedded Metric Format: one JSON line that
 * CloudWatch Logs turns into metrics, with no metrics library and no extra call. The line is
 * written to stdout directly: under Lambda's JSON log format `console` would nest it under
 * `message`, where CloudWatch does not look for `_aws`.
 */
export const METRICS_NAMESPACE = 'CryptoAssetMonitoring/Rules';

export interface RunCounts {
  /** Resources decided in this invocation. */
  readonly Evaluated: number;
  /** Evaluations AWS Config accepted. */
  readonly Sent: number;
  /** Resources reported NON_COMPLIANT because a fact could not be read. */
  readonly FailedClosed: number;
  /** Evaluations decided but not delivered. */
  readonly Unsent: number;
  /** 1 when this invocation left part of the pass to a continuation or stopped early (a listing failed). */
  readonly Partial: number;
  /** 1 when the pass ended without covering the whole account or without delivering everything, or the event was refused. */
  readonly Incomplete: number;
  /** 1 when a complete pass could not read its earlier results, so results of vanished resources stay for now. */
  readonly StaleNotWithdrawn: number;
  /** Inventory records this invocation collected (0 while the inventory is off). */
  readonly InventoryRecords: number;
  /** Of those, records that could not be written to the inventory bucket (evaluations are not affected). */
  readonly InventoryWriteFailures: number;
}

export function metricsLine(ruleName: string, counts: RunCounts, at: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [['RuleName']],
          Metrics: Object.keys(counts).map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    RuleName: ruleName,
    ...counts,
  });
}

/** Where metric lines go; tests swap it to read them. */
export const metricsSink = { write: (line: string): void => void process.stdout.write(line) };

export function publishMetrics(ruleName: string, counts: RunCounts): void {
  metricsSink.write(`${metricsLine(ruleName, counts, Date.now())}\n`);
}
