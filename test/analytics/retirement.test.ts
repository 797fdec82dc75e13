/**
 * The retirement path's named queries (athena-queries/retirement/) over the organization's
 * CloudTrail in Security Lake, with the path's own calls and their look-alikes
 * (test/fixtures/security-lake/retirement.ts), run in DuckDB: what the path quarantined, what
 * awaits deletion, what was given back, each with its approvers.
 */
import * as fs from 'fs';
import * as path from 'path';
import { QUARANTINE_SID, TAGS } from '../../lambda/retirement/tags';
import { SecurityLake } from '../fixtures/security-lake/lake';
import { query, run } from '../fixtures/security-lake/organization';
import { approvers, pathExecution, retiredKeys as k, retiredSecrets as s, retirementApiCalls } from '../fixtures/security-lake/retirement';
import { CURRENT_STATE_DAYS, DEV, EU, JUST_OUTSIDE, LOOKBACK_DAYS, NOW, PROD, US, allApiCalls, allFindings, daysAgo, daysAhead, ts } from '../fixtures/security-lake/scenarios';

let lake: SecurityLake;
beforeAll(async () => {
  lake = await SecurityLake.open({ now: NOW });
  await lake.addFindings(allFindings());
  await lake.addApiCalls([...allApiCalls(), ...retirementApiCalls()]);
});
afterAll(() => lake.close());

const at = (days: number, seconds = 0) => ts(new Date(daysAgo(days).getTime() + seconds * 1000));
const ahead = (days: number, seconds = 0) => ts(new Date(daysAhead(days).getTime() + seconds * 1000));
const KEY = 'AWS::KMS::Key';
const SECRET = 'AWS::SecretsManager::Secret';
const owner = `arn:aws:iam::${PROD}:role/payments-admin`;
const where = (arn: string) => ({ account_id: arn.split(':')[4], region: arn.split(':')[3], resource_arn: arn });

describe('retirement/quarantined', () => {
  test('every quarantine of the path in the window, newest first, with approvers, what followed and where it stands', async () => {
    const quarantine = (arn: string, type: string, quarantinedAt: string, approvedBy: string, action: string | null, retiredAt: string | null, undoneAt: string | null, state: string) => ({
      ...where(arn),
      resource_type: type,
      quarantined_at: quarantinedAt,
      approved_by: approvedBy,
      execution_id: pathExecution(arn, 'quarantine'),
      quarantine_action: action,
      retired_at: retiredAt,
      undone_at: undoneAt,
      state,
    });
    expect(await run(lake, 'retirement/quarantined')).toEqual([
      // Tagged, but KMS refused the DisableKey that should have followed.
      quarantine(k.tagFailedDisable, KEY, at(6), approvers.jdoe, null, null, null, 'tagged only'),
      // Someone added a statement since, keeping the Deny: still quarantined.
      quarantine(s.policyKept, SECRET, at(8, 1), approvers.jdoe, 'PutResourcePolicy', null, null, 'quarantined'),
      // Another account, another namePrefix; the record names the key by id only.
      { ...quarantine(k.quarantined, KEY, at(10), approvers.carol, 'DisableKey', null, null, 'quarantined'), account_id: DEV, region: EU },
      // Its owner replaced the policy (by name) with one without the Deny.
      quarantine(s.policyReplaced, SECRET, at(12, 1), approvers.carol, 'PutResourcePolicy', null, at(4), 'given back'),
      quarantine(s.policyDeleted, SECRET, at(14, 1), approvers.jdoe, 'PutResourcePolicy', null, at(1), 'given back'),
      // Retired, deletion cancelled, then enabled: given back.
      quarantine(k.cancelled, KEY, at(15), approvers.jdoe, 'DisableKey', at(10, 1), at(2), 'given back'),
      // Retired, then restored by name: back to quarantined (its policy still denies reads).
      quarantine(s.restored, SECRET, at(18, 1), approvers.jdoe, 'PutResourcePolicy', at(6, 1), null, 'quarantined'),
      quarantine(s.deleted, SECRET, at(20, 1), approvers.jdoe, 'PutResourcePolicy', at(9, 1), null, 'retired'),
      quarantine(k.givenBack, KEY, at(20), approvers.jdoe, 'DisableKey', null, at(5), 'given back'),
      quarantine(s.awaiting, SECRET, at(26, 1), approvers.two, 'PutResourcePolicy', at(1, 1), null, 'retired'),
      quarantine(k.awaiting, KEY, at(28), approvers.two, 'DisableKey', at(1, 1), null, 'retired'),
    ]);
  });

  test('a person setting the path\'s tags, a role named like the step-runner, and a quarantine before the window are not listed', async () => {
    const listed = (await run(lake, 'retirement/quarantined')).map((r) => r.resource_arn);
    for (const arn of [k.taggedByPerson, k.beforeWindow, k.deleted]) expect(listed).not.toContain(arn);
  });
});

describe('retirement/awaiting-deletion', () => {
  test('every deletion the path scheduled in the window, by due date, with the retire approvers, the quarantine before it and any restore', async () => {
    const deletion = (arn: string, type: string, scheduledAt: string, days: number, due: string, approvedBy: string, quarantinedAt: string | null, cancelledAt: string | null, state: string) => ({
      ...where(arn),
      resource_type: type,
      scheduled_at: scheduledAt,
      window_days: days,
      deletion_due: due,
      approved_by: approvedBy,
      execution_id: pathExecution(arn, 'retire'),
      quarantined_at: quarantinedAt,
      cancelled_at: cancelledAt,
      state,
    });
    expect(await run(lake, 'retirement/awaiting-deletion')).toEqual([
      // Its quarantine was before the window: not seen, not guessed.
      deletion(k.deleted, KEY, at(20, 1), 7, at(13, 1), approvers.two, null, null, 'deleted'),
      deletion(s.deleted, SECRET, at(9, 1), 7, at(2, 1), approvers.two, at(20, 1), null, 'deleted'),
      deletion(k.awaiting, KEY, at(1, 1), 7, ahead(6, 1), approvers.jdoe, at(28), null, 'awaiting deletion'),
      deletion(s.awaiting, SECRET, at(1, 1), 14, ahead(13, 1), approvers.jdoe, at(26, 1), null, 'awaiting deletion'),
      deletion(k.cancelled, KEY, at(10, 1), 30, ahead(20, 1), approvers.jdoe, at(15), at(3), 'restored'),
      deletion(s.restored, SECRET, at(6, 1), 30, ahead(24, 1), approvers.jdoe, at(18, 1), at(2), 'restored'),
    ]);
  });

  test('a deletion KMS refused, and one scheduled by a look-alike role, are not listed', async () => {
    const listed = (await run(lake, 'retirement/awaiting-deletion')).map((r) => r.resource_arn);
    expect(listed).not.toContain(k.givenBack);
    expect(listed).not.toContain(k.taggedByPerson);
  });
});

describe('retirement/undone', () => {
  test('every undo of a path step in the window, newest first, with who undid it and whose approval it undid', async () => {
    const undo = (arn: string, type: string, undoneAt: string, operation: string, by: string, step: string, stepAt: string, approvedBy: string) => ({
      ...where(arn),
      resource_type: type,
      undone_at: undoneAt,
      undo_operation: operation,
      undone_by: by,
      undid_step: step,
      step_at: stepAt,
      step_approved_by: approvedBy,
    });
    expect(await run(lake, 'retirement/undone')).toEqual([
      // Named by partial ARN; the whole policy deleted.
      undo(s.policyDeleted, SECRET, at(1), 'DeleteResourcePolicy', owner, 'quarantine', at(14, 1), approvers.jdoe),
      // Enabled after its deletion was cancelled: the newest step before it was the retirement.
      undo(k.cancelled, KEY, at(2), 'EnableKey', owner, 'retire', at(10), approvers.jdoe),
      undo(s.restored, SECRET, at(2), 'RestoreSecret', owner, 'retire', at(6), approvers.jdoe),
      undo(k.cancelled, KEY, at(3), 'CancelKeyDeletion', owner, 'retire', at(10), approvers.jdoe),
      // An IAM user replaced the policy by the secret's name, without the Deny.
      undo(s.policyReplaced, SECRET, at(4), 'PutResourcePolicy', `arn:aws:iam::${DEV}:user/bob`, 'quarantine', at(12, 1), approvers.carol),
      undo(k.givenBack, KEY, at(5), 'EnableKey', owner, 'quarantine', at(20), approvers.jdoe),
    ]);
  });

  test('enabling a key the path never touched (or quarantined before the window) and a policy that keeps the Deny are no undo', async () => {
    const listed = (await run(lake, 'retirement/undone')).map((r) => r.resource_arn);
    for (const arn of [k.taggedByPerson, k.beforeWindow, s.policyKept]) expect(listed).not.toContain(arn);
  });
});

describe('all three', () => {
  const ids = ['retirement/quarantined', 'retirement/awaiting-deletion', 'retirement/undone'];

  test('the path\'s calls moved back until the newest is one minute before the activity window are not read', async () => {
    const outside = await SecurityLake.open({ now: NOW });
    try {
      const calls = retirementApiCalls();
      const shift = JUST_OUTSIDE.getTime() - Math.max(...calls.map((r) => r.time as number));
      const moved = calls.map((r) => {
        const t = new Date((r.time as number) + shift);
        return { ...r, time: t.getTime(), time_dt: t.toISOString().replace('T', ' ').replace('Z', '') };
      });
      await outside.addApiCalls(moved);
      for (const id of ids) expect({ id, rows: await outside.query(query(id).sql, LOOKBACK_DAYS, CURRENT_STATE_DAYS) }).toEqual({ id, rows: [] });
      // A window long enough to reach them, and they are all there again, with the two quarantines
      // that were before the window to begin with (and the undo of one of them).
      for (const id of ids) expect({ id, rows: (await outside.query(query(id).sql, 90, CURRENT_STATE_DAYS)).length }).toEqual({ id, rows: { quarantined: 13, 'awaiting-deletion': 6, undone: 7 }[id.split('/')[1]] });
    } finally {
      outside.close();
    }
  });

  test('the organization without the path: nothing', async () => {
    const plain = await SecurityLake.open({ now: NOW });
    try {
      await plain.addApiCalls(allApiCalls());
      for (const id of ids) expect({ id, rows: await plain.query(query(id).sql, LOOKBACK_DAYS, CURRENT_STATE_DAYS) }).toEqual({ id, rows: [] });
    } finally {
      plain.close();
    }
  });

  test('the tags and the statement they look for are the ones the step-runner writes (lambda/retirement/tags.ts)', () => {
    const fragments = path.join(__dirname, '..', '..', 'athena-queries', '_fragments');
    const events = fs.readFileSync(path.join(fragments, 'retirement-events.sql'), 'utf8');
    const tag = fs.readFileSync(path.join(fragments, 'retirement-tag.sql'), 'utf8');
    const used = [...events.matchAll(/\{\{fragment:retirement-tag\(tag=([a-z-]+)\)\}\}/g)].map((m) => `${/"crypto-monitoring:/.test(tag) ? 'crypto-monitoring' : '?'}:${m[1]}`);
    expect(used.sort()).toEqual([TAGS.quarantinedAt, TAGS.quarantineApprovedBy, TAGS.quarantineExecution, TAGS.retiredAt, TAGS.retireApprovedBy, TAGS.retireExecution].sort());
    expect(events).toContain(`'${QUARANTINE_SID}'`);
  });

  test('the step-runner is recognised by the role name the member template gives it, in any partition, whatever the prefix', () => {
    const events = fs.readFileSync(path.join(__dirname, '..', '..', 'athena-queries', '_fragments', 'retirement-events.sql'), 'utf8');
    const pattern = new RegExp(/regexp_like\(principal, '([^']+)'\)/.exec(events)![1]);
    for (const arn of [
      `arn:aws:iam::${PROD}:role/crypto-monitoring-retirement-step-${US}`,
      `arn:aws:iam::${DEV}:role/acme-retirement-step-ap-southeast-2`,
      'arn:aws-us-gov:iam::111111111111:role/crypto-monitoring-retirement-step-us-gov-west-1',
      'arn:aws-cn:iam::111111111111:role/crypto-monitoring-retirement-step-cn-north-1',
    ]) expect({ arn, matches: pattern.test(arn) }).toEqual({ arn, matches: true });
    for (const arn of [
      `arn:aws:iam::${PROD}:role/my-retirement-step-runner`,
      `arn:aws:iam::${PROD}:role/crypto-monitoring-retirement-automation-${US}`,
      `arn:aws:sts::${PROD}:assumed-role/crypto-monitoring-retirement-step-${US}/crypto-monitoring-retirement-step`,
      `arn:aws:iam::${PROD}:user/crypto-monitoring-retirement-step-${US}`,
    ]) expect({ arn, matches: pattern.test(arn) }).toEqual({ arn, matches: false });
  });
});
