/**
 * The one place a custom rule's run is orchestrated. A rule lists its resources page by page and
 * decides each one; the runtime does the rest: it parses and checks the event, paces and bounds
 * every call, evaluates a page at a time with a fixed number of resources in flight, sends each
 * result as it is decided, stops starting resources before Lambda's timeout and hands the rest of
 * the pass to a continuation, withdraws results of vanished resources only after a complete pass,
 * and always writes one summary line and the run's metrics. While the inventory is on, the records
 * a rule makes from what it read go to the inventory sink in listing order, only for resources that
 * are done (never for one the continuation redoes), and are written before the continuation starts.
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { AssetType, InventoryRecord } from '../inventory/record';
import { ApiCalls, DeadlineReachedError, type SendsCommands } from './api-calls';
import { parseConfigRuleEvent, DEFAULT_MAX_NOTIFICATION_AGE_MS, type ConfigRuleEvent } from './config-event';
import { continuationEvent, continuationOf, MAX_INVOCATIONS_PER_PASS, type Continuation, type Cursor } from './continuation';
import { deadlineOf, DEFAULT_MARGINS, type DeadlineMargins, type InvocationContext } from './deadline';
import { describeError, isRetryable } from './errors';
import { isoDate, type Compliance, type ResourceEvaluation } from './evaluation';
import { EvaluationSender } from './evaluation-sender';
import { COULD_NOT_EVALUATE, failClosed } from './fail-closed';
import { InventorySink, inventoryRunId, passId, S3_RATES_PER_SECOND, type InventoryOutcome } from './inventory-sink';
import { log } from './log';
import { forEachPage } from './paginate';
import { refuseUnknownParameters, type InventoryTarget } from './parameters';
import { publishMetrics } from './run-metrics';
import { previouslyReported, staleEvaluations, type StaleResultScope } from './stale-results';

export interface RuleRun<P> {
  readonly event: ConfigRuleEvent;
  readonly params: P;
  readonly now: Date;
  readonly api: ApiCalls;
}

/** The fields every inventory record of a pass shares. */
export interface InventoryBase {
  /** The invocation's start (ISO 8601). */
  readonly collectedAt: string;
  /** The rule's catalog name. */
  readonly collectedBy: string;
  readonly accountId: string;
  readonly region: string;
}

/** Handed to `evaluate` only while the inventory is on: the shared fields, and where the resource's records go. */
export interface ItemInventory {
  readonly base: InventoryBase;
  add(record: InventoryRecord): void;
}

export interface ListedPage<I> {
  readonly items: readonly I[] | undefined;
  /** The token of the next page; absent (or empty) on the last one. */
  readonly next: string | undefined;
}

export interface ConfigRule<P, I, C = void> {
  /** The catalog name, for logs and metrics. AWS Config's own name for the rule comes from the event. */
  readonly name: string;
  readonly resourceType: string;
  /** The service prefix that names calls in annotations ("kms:DescribeKey"). */
  readonly service: string;
  /** Every rule parameter the rule takes; any other is refused. */
  readonly parameterNames: readonly string[];
  /** Resources evaluated at once; the pacing, not this, bounds the request rate. */
  readonly concurrency: number;
  /** Which earlier results are read back to withdraw those of vanished resources (default `all`). */
  readonly staleResults?: StaleResultScope;
  parseParameters(raw: Record<string, string>): P;
  /** Client-side request rates per operation (below the service's quotas). */
  ratesPerSecond(params: P): Record<string, number>;
  /** Facts shared by every resource of the invocation (read once, e.g. the exempt resources). */
  prepare(run: RuleRun<P>): Promise<C>;
  /** One page of the inventory. Throws when it cannot be listed. */
  listPage(run: RuleRun<P>, token: string | undefined): Promise<ListedPage<I>>;
  /** The id AWS Config records the resource under; undefined when the listing entry has none. */
  resourceId(item: I): string | undefined;
  /**
   * The result for one resource, or undefined when it is out of scope (or vanished since it was
   * listed). With `inventory`, the resource's inventory records too, made from what was read for
   * the decision; they are kept only when the resource is done.
   */
  evaluate(run: RuleRun<P>, item: I, prepared: C, inventory?: ItemInventory): Promise<ResourceEvaluation | undefined>;
  /** The inventory this rule's passes write: the asset type, and the bucket its parameters name (undefined while off). */
  readonly inventory?: { readonly assetType: AssetType; target(params: P): InventoryTarget | undefined };
}

/** AWS Config publishes no request rate for these; paced well below what one rule needs so other callers keep room. */
export const CONFIG_RATES_PER_SECOND = { PutEvaluations: 10, GetComplianceDetailsByConfigRule: 5 } as const;

/** Sends the continuation's call, bounded by the run's last deadline and counted with the run's calls. */
export type ContinuationSender = (client: SendsCommands, command: { readonly input: unknown }) => Promise<any>;

export interface RuntimeDeps {
  readonly config: ConfigServiceClient;
  /** The Lambda context: its remaining time sets the run's deadline. */
  readonly context?: InvocationContext;
  /** Starts the next invocation of the pass with `event` (asynchronously); absent, a pass must fit in one invocation. */
  readonly continueWith?: (event: Record<string, unknown>, send: ContinuationSender) => Promise<void>;
  /**
   * How long one pass may take in all, from its notification: the rule's evaluation period, so
   * passes never pile up. A function, so that a bad setting is refused like a bad event.
   */
  readonly passLimitMs?: number | (() => number);
  readonly now?: () => Date;
  readonly margins?: DeadlineMargins;
  /** The first wait before a failed listing page or batch of results is tried again (default 1 s). */
  readonly retryDelayMs?: number;
  /** An S3 client for the inventory bucket's Region; absent, a pass whose parameters name a bucket reports its records unwritten. */
  readonly s3?: (region: string) => SendsCommands;
}

/** How an invocation ended. */
export type RunOutcome =
  /** The pass is complete and every result was delivered. */
  | 'complete'
  /** This invocation stopped at its deadline and a continuation carries on. */
  | 'continued'
  /** The pass stopped before covering the account, or results were not delivered: see the log. */
  | 'incomplete';

export interface RunSummary {
  readonly rule: string;
  readonly configRuleName: string;
  readonly accountId: string;
  readonly region: string | undefined;
  readonly testMode: boolean;
  readonly outcome: RunOutcome;
  /** This invocation's number in its pass (1 for the scheduled one). */
  readonly invocation: number;
  /** Resources decided in this invocation. */
  readonly resources: number;
  readonly compliance: Record<Compliance, number>;
  readonly failedClosed: number;
  /** Listing entries seen a second time in this invocation (evaluated once). */
  readonly duplicates: number;
  /** Listing entries with no resource id, which cannot be reported. */
  readonly unreportable: number;
  readonly sent: number;
  readonly unsent: number;
  readonly withdrawn: number;
  /** True when a complete pass could not read its earlier results, so stale ones wait for a later pass. */
  readonly staleNotWithdrawn?: boolean;
  /** Where the next invocation starts, when this one stopped early. */
  readonly cursor?: Cursor;
  /** Totals of the whole pass so far (earlier invocations included). */
  readonly pass: { readonly evaluated: number; readonly sent: number; readonly unsent: number; readonly startedAt: string };
  readonly apiCalls: Record<string, number>;
  /** Present while the inventory is on: records collected, written and not written in this invocation. */
  readonly inventory?: InventoryOutcome;
  readonly durationMs: number;
  readonly error?: string;
}

export class EvaluationsNotDeliveredError extends Error {
  constructor(count: number, sample: readonly string[], reason?: string) {
    super(`${count} evaluation(s) were not delivered to AWS Config${reason ? ` (${reason})` : ''}, for example ${sample.join(', ')}`);
    this.name = 'EvaluationsNotDeliveredError';
  }
}

export class IncompletePassError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompletePassError';
  }
}

/** Attempts at one listing page when it fails with a retryable error (beyond the SDK's own retries). */
const LIST_ATTEMPTS = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const NO_RECORDS: readonly InventoryRecord[] = [];

/**
 * The inventory sink of this invocation, when the rule's parameters name a bucket. A TESTMODE run
 * (AWS Config's test of the rule, whose results are not stored) writes no inventory either.
 */
function inventorySink<P, I, C>(
  rule: ConfigRule<P, I, C>,
  params: P,
  event: ConfigRuleEvent,
  invocation: number,
  api: ApiCalls,
  deps: RuntimeDeps,
  writeUntil: number,
  now: Date,
): { sink?: InventorySink; base?: InventoryBase } {
  const target = rule.inventory?.target(params);
  if (!rule.inventory || !target || event.testMode) return {};
  const region = process.env.AWS_REGION;
  const base: InventoryBase = { collectedAt: now.toISOString(), collectedBy: rule.name, accountId: event.accountId, region: region ?? '' };
  const unavailable = !region
    ? 'AWS_REGION is not set, so the records cannot name their Region; the inventory is not written'
    : !deps.s3
      ? 'no S3 client was given to this run; the inventory cannot be written'
      : undefined;
  const sink = new InventorySink(
    api,
    unavailable ? undefined : deps.s3!(target.region),
    {
      target,
      assetType: rule.inventory.assetType,
      accountId: event.accountId,
      region: region ?? 'unknown',
      day: isoDate(event.notificationTime),
      runId: inventoryRunId(passId(event.configRuleName, event.resultToken, event.notificationTime), invocation),
      writeUntil,
      retryDelayMs: deps.retryDelayMs,
    },
    unavailable,
  );
  return { sink, base };
}

export async function runRule<P, I, C>(rule: ConfigRule<P, I, C>, rawEvent: unknown, deps: RuntimeDeps): Promise<RunSummary> {
  const started = Date.now();
  const deadline = deadlineOf(deps.context, deps.margins ?? DEFAULT_MARGINS);
  const now = deps.now?.() ?? new Date();
  let event: ConfigRuleEvent;
  let params: P;
  let continuation: Continuation | undefined;
  let passLimitMs: number | undefined;
  try {
    passLimitMs = typeof deps.passLimitMs === 'function' ? deps.passLimitMs() : deps.passLimitMs;
    continuation = continuationOf(rawEvent);
    // A continuation carries the pass's original notification, which ages with the pass.
    const maxAgeMs = continuation ? DEFAULT_MAX_NOTIFICATION_AGE_MS + (passLimitMs ?? 0) : undefined;
    event = parseConfigRuleEvent(rawEvent, now, { maxAgeMs });
    refuseUnknownParameters(event.ruleParameters, rule.parameterNames);
    params = rule.parseParameters(event.ruleParameters);
  } catch (e) {
    log.error('rejected invocation; nothing was evaluated or sent', { rule: rule.name, error: describeError(e) });
    publishMetrics(rule.name, { Evaluated: 0, Sent: 0, FailedClosed: 0, Unsent: 0, Partial: 0, Incomplete: 1, StaleNotWithdrawn: 0, InventoryRecords: 0, InventoryWriteFailures: 0 });
    throw e;
  }

  const invocation = continuation?.invocation ?? 1;
  const passStartedAt = continuation?.passStartedAt ?? new Date(started).toISOString();
  const api = new ApiCalls({ ...CONFIG_RATES_PER_SECOND, ...S3_RATES_PER_SECOND, ...rule.ratesPerSecond(params) }, { callTimeoutMs: deadline.callTimeoutMs, hardDeadline: () => deadline.hard });
  const run: RuleRun<P> = { event, params, now, api };
  const sender = new EvaluationSender(api, deps.config, {
    resultToken: event.resultToken,
    testMode: event.testMode,
    resourceType: rule.resourceType,
    orderingTimestamp: event.notificationTime,
    sendUntil: deadline.send,
    retryDelayMs: deps.retryDelayMs,
  });
  const { sink, base: inventoryBase } = inventorySink(rule, params, event, invocation, api, deps, deadline.send, now);

  const compliance: Record<Compliance, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  let failedClosed = 0;
  let duplicates = 0;
  let unreportable = 0;
  /**
   * Ids listed and still present in this invocation (the pass's inventory when it has one
   * invocation), and those that got a result.
   */
  const seen = new Set<string>();
  const reported = new Set<string>();
  const stopping = () => Date.now() >= deadline.soft || sender.stopped;

  /**
   * Decides one listed resource: its inventory records when it is done, false when the deadline
   * cut it short (the continuation redoes it).
   */
  async function decide(item: I, prepared: C): Promise<readonly InventoryRecord[] | false> {
    const id = rule.resourceId(item);
    if (!id) {
      unreportable++;
      log.warn('a listed resource has no id and cannot be reported', { rule: rule.name });
      return NO_RECORDS;
    }
    if (seen.has(id)) {
      duplicates++;
      return NO_RECORDS;
    }
    seen.add(id);
    const records: InventoryRecord[] = [];
    const inventory: ItemInventory | undefined = inventoryBase && { base: inventoryBase, add: (r) => void records.push(r) };
    let result: ResourceEvaluation | undefined;
    try {
      result = await rule.evaluate(run, item, prepared, inventory);
    } catch (e) {
      if (e instanceof DeadlineReachedError) {
        seen.delete(id);
        return false;
      }
      result = failClosed(id, e, rule.service);
    }
    if (!result) {
      // Gone since it was listed: not part of the inventory, so its earlier result is withdrawn with this pass.
      seen.delete(id);
      return NO_RECORDS;
    }
    reported.add(id);
    compliance[result.compliance]++;
    if (result.annotation.startsWith(COULD_NOT_EVALUATE)) failedClosed++;
    await sender.add(result);
    return records;
  }

  /**
   * Evaluates items from `start` on; returns the index from which the page is not done: the first
   * item not started, or an earlier one the deadline cut short (items after it are redone too).
   * Inventory records go to the sink in listing order, only for the done prefix of the page: the
   * continuation redoes everything from the first item cut, so a hand-over writes no record twice
   * (a listing that changed between invocations may; the queries and the CBOM read the later copy).
   */
  async function evaluatePage(items: readonly I[], start: number, prepared: C): Promise<number> {
    let next = start;
    let firstUnfinished = Number.POSITIVE_INFINITY;
    const ready = new Map<number, readonly InventoryRecord[]>();
    let committed = start;
    const commit = async (s: InventorySink) => {
      while (committed < firstUnfinished && ready.has(committed)) {
        for (const r of ready.get(committed)!) s.add(r);
        ready.delete(committed++);
      }
      await s.room();
    };
    const worker = async () => {
      while (next < items.length && !stopping()) {
        const i = next++;
        const done = await decide(items[i], prepared);
        if (done === false) firstUnfinished = Math.min(firstUnfinished, i);
        else if (sink) {
          ready.set(i, done);
          await commit(sink);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(0, Math.min(rule.concurrency, items.length - start)) }, worker));
    return Math.min(Math.max(next, start), firstUnfinished);
  }

  async function listPage(token: string | undefined): Promise<ListedPage<I>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await rule.listPage(run, token);
      } catch (e) {
        if (attempt >= LIST_ATTEMPTS || !isRetryable(e) || Date.now() >= deadline.soft) throw e;
        log.warn('a listing page failed; trying again', { rule: rule.name, error: describeError(e, rule.service), attempt });
        await sleep((deps.retryDelayMs ?? 1000) * attempt);
      }
    }
  }

  /**
   * Where to start in a page a cursor points into: `skip`, unless the resource done last (`after`)
   * has moved since (the listing changed between invocations), then just after it, or the page's
   * start when it is gone. A resource may be done twice, never passed over.
   */
  function resumeAt(items: readonly I[], skip: number, after: string | undefined): number {
    if (after === undefined || skip === 0) return skip;
    if (skip <= items.length && rule.resourceId(items[skip - 1]) === after) return skip;
    const i = items.findIndex((item) => rule.resourceId(item) === after);
    return i >= 0 ? i + 1 : 0;
  }

  /** Works through the listing from `from`; returns undefined when it reached the end, else where it stopped. */
  async function sweep(from: Cursor, prepared: C): Promise<Cursor | undefined> {
    let token = from.token;
    let skip = from.skip;
    let after = from.after;
    const here = (): Cursor => ({ ...(token ? { token } : {}), skip, ...(after !== undefined ? { after } : {}) });
    const tokens = new Set<string>();
    for (;;) {
      if (stopping()) return here();
      let page: ListedPage<I>;
      try {
        page = await listPage(token);
      } catch (e) {
        if (e instanceof DeadlineReachedError) return here();
        throw e;
      }
      const items = page.items ?? [];
      const stoppedAt = await evaluatePage(items, resumeAt(items, skip, after), prepared);
      if (stoppedAt < items.length) {
        skip = stoppedAt;
        after = stoppedAt > 0 ? rule.resourceId(items[stoppedAt - 1]) : undefined;
        return here();
      }
      const next = page.next || undefined;
      if (next === undefined) return undefined;
      // A token that repeats would loop for ever; the listing is not trustworthy.
      if (tokens.has(next)) throw new Error(`Pagination token repeated (${next.slice(0, 20)}…); the listing is not trustworthy`);
      tokens.add(next);
      token = next;
      skip = 0;
      after = undefined;
    }
  }

  /** Every id in the listing, for the pass's last invocation when earlier ones evaluated the rest. */
  async function listedIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    await forEachPage(listPage, (item) => {
      const id = rule.resourceId(item);
      if (id) ids.add(id);
    });
    return ids;
  }

  let cursor: Cursor | undefined;
  let failure: unknown;
  let withdrawn = 0;
  let staleNotWithdrawn = false;
  const withdrawing = continuation?.cursor.withdrawOnly === true;
  if (!withdrawing) {
    try {
      const prepared = await rule.prepare(run);
      cursor = await sweep(continuation?.cursor ?? { skip: 0 }, prepared);
    } catch (e) {
      failure = e;
      log.error('could not list resources; the pass stops here and no earlier result is withdrawn', { rule: rule.name, error: describeError(e, rule.service) });
    }
  }

  if (cursor === undefined && failure === undefined && !sender.stopped) {
    if (!withdrawing && Date.now() >= deadline.soft && deps.continueWith) {
      // Withdrawal re-reads every earlier result: it gets an invocation of its own rather than too little time.
      cursor = { skip: 0, withdrawOnly: true };
    } else {
      try {
        // Results of this pass that came from earlier invocations are not in memory: list the ids again (listing only).
        const present = continuation ? await listedIds() : seen;
        const stale = staleEvaluations(await previouslyReported(api, deps.config, event.configRuleName, rule.resourceType, rule.staleResults), present);
        for (const s of stale) await sender.add(s);
        withdrawn = stale.length;
      } catch (e) {
        // Not fatal: this pass's results still go out; stale ones are withdrawn after a later pass.
        staleNotWithdrawn = true;
        log.warn('could not read earlier results; stale results were not withdrawn', { rule: rule.name, error: describeError(e, 'config') });
      }
    }
  }

  // Both before the continuation starts, both bounded by the send deadline.
  const [delivery, inventory] = await Promise.all([sender.finish(), sink?.finish()]);
  const evaluated = reported.size;
  const pass = {
    evaluated: (continuation?.evaluatedBefore ?? 0) + evaluated,
    sent: (continuation?.sentBefore ?? 0) + delivery.sent,
    unsent: (continuation?.unsentBefore ?? 0) + delivery.unsent,
    startedAt: passStartedAt,
  };

  let outcome: RunOutcome = cursor === undefined && failure === undefined && !delivery.fatal && pass.unsent === 0 ? 'complete' : 'incomplete';
  if (cursor !== undefined && failure === undefined && !delivery.fatal) {
    const next: Continuation = { invocation: invocation + 1, passStartedAt, cursor, evaluatedBefore: pass.evaluated, sentBefore: pass.sent, unsentBefore: pass.unsent };
    // Measured from the notification, and counting the next invocation's whole span: a pass never runs into the next one.
    const passAgeMs = Date.now() - event.notificationTime.getTime();
    if (next.invocation > MAX_INVOCATIONS_PER_PASS || (passLimitMs !== undefined && passAgeMs + deadline.spanMs >= passLimitMs)) {
      failure = new IncompletePassError(
        `the pass ran ${(passAgeMs / 60_000).toFixed(0)} min since its notification over ${invocation} invocation(s) and may not go on; it evaluated ${pass.evaluated} resource(s). Raise the rule's request rate (after a quota increase) or evaluate less often.`,
      );
    } else if (!deps.continueWith) {
      failure = new IncompletePassError('the invocation reached its deadline and this run cannot continue itself');
    } else {
      try {
        await deps.continueWith(continuationEvent(rawEvent, next), (client, command) => api.send(client, command, deadline.final));
        outcome = pass.unsent === 0 ? 'continued' : 'incomplete';
      } catch (e) {
        failure = e;
        log.error('could not start the continuation; the rest of the pass waits for the next scheduled run', { rule: rule.name, error: describeError(e, 'lambda') });
      }
    }
  }
  if (!failure && delivery.unsent > 0) failure = new EvaluationsNotDeliveredError(delivery.unsent, delivery.unsentSample, delivery.fatal);

  const summary: RunSummary = {
    rule: rule.name,
    configRuleName: event.configRuleName,
    accountId: event.accountId,
    region: process.env.AWS_REGION,
    testMode: event.testMode,
    outcome,
    invocation,
    resources: evaluated,
    compliance,
    failedClosed,
    duplicates,
    unreportable,
    sent: delivery.sent,
    unsent: delivery.unsent,
    withdrawn,
    ...(staleNotWithdrawn ? { staleNotWithdrawn } : {}),
    ...(cursor ? { cursor } : {}),
    pass,
    apiCalls: api.snapshot(),
    ...(inventory ? { inventory } : {}),
    durationMs: Date.now() - started,
    ...(failure ? { error: describeError(failure) } : {}),
  };
  (outcome === 'incomplete' ? log.error : log.info)('rule evaluation finished', { ...summary });
  publishMetrics(rule.name, {
    Evaluated: evaluated,
    Sent: delivery.sent,
    FailedClosed: failedClosed,
    Unsent: delivery.unsent,
    Partial: cursor !== undefined || failure !== undefined ? 1 : 0,
    Incomplete: outcome === 'incomplete' ? 1 : 0,
    StaleNotWithdrawn: staleNotWithdrawn ? 1 : 0,
    InventoryRecords: inventory?.records ?? 0,
    InventoryWriteFailures: inventory?.unwritten ?? 0,
  });
  if (failure) throw failure;
  return summary;
}
