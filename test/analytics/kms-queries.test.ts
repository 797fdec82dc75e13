import { SecurityLake } from '../fixtures/security-lake/lake';
import { organizationLake, query, run } from '../fixtures/security-lake/organization';
import { keyResource } from '../fixtures/security-lake/records';
import { DEV, EU, JUST_INSIDE, LOOKBACK_DAYS, NOW, PROD, SHARED, STATE_JUST_INSIDE, US, bothTrails, daysAgo, keys, principals, ts } from '../fixtures/security-lake/scenarios';

let lake: SecurityLake;
beforeAll(async () => {
  lake = await organizationLake();
});
afterAll(() => lake.close());

const arns = (rows: Record<string, unknown>[]) => rows.map((r) => r.resource_arn);

describe('kms/unused-keys', () => {
  test('lists exactly the keys whose newest evaluation of our rule in the state window failed, however old', async () => {
    expect(await run(lake, 'kms/unused-keys')).toEqual([
      // Failing since one minute inside the state window; its earlier pass is older still.
      { account_id: SHARED, region: US, resource_arn: keys.failedJustInside, first_observed: ts(STATE_JUST_INSIDE), last_evaluated: ts(STATE_JUST_INSIDE), workflow_status: 'New' },
      // AWS Config sent one row 200 days ago and nothing since: still failing, still listed.
      { account_id: PROD, region: EU, resource_arn: keys.unusedFor200Days, first_observed: ts(daysAgo(200)), last_evaluated: ts(daysAgo(200)), workflow_status: 'New' },
      // Passed 150 days ago (the finding's CreatedAt), failing since day 30: reported from day 30.
      { account_id: PROD, region: US, resource_arn: keys.unused120Days, first_observed: ts(daysAgo(30)), last_evaluated: ts(daysAgo(30)), workflow_status: 'New' },
      // The rule reported a bare key id; the output is still the key ARN. Sent again on day 2,
      // still failing: reported since day 40.
      { account_id: DEV, region: EU, resource_arn: keys.reportedById, first_observed: ts(daysAgo(40)), last_evaluated: ts(daysAgo(2)), workflow_status: 'New' },
    ]);
  });

  test('leaves out keys used since, fixed, archived, failing only before the state window, or failing other rules', async () => {
    const listed = arns(await run(lake, 'kms/unused-keys'));
    for (const key of [keys.usedYesterday, keys.fixedYesterday, keys.archived, keys.failedJustOutside, keys.noRotationByRule, keys.pendingDeletion]) {
      expect(listed).not.toContain(key);
    }
  });

  test('a failure older than lookbackDays is listed as long as the state window reaches it, and not beyond', async () => {
    const stateDays = async (days: number) => arns(await lake.query(query('kms/unused-keys').sql, LOOKBACK_DAYS, days));
    expect(await stateDays(201)).toContain(keys.unusedFor200Days);
    expect(await stateDays(199)).not.toContain(keys.unusedFor200Days);
    expect(await stateDays(LOOKBACK_DAYS)).toEqual([keys.unused120Days, keys.reportedById]);
  });

  test('first_observed is never the finding\'s CreatedAt when the finding passed first', async () => {
    const rows = await run(lake, 'kms/unused-keys');
    const unused = rows.find((r) => r.resource_arn === keys.unused120Days)!;
    expect(unused.first_observed).not.toBe(ts(daysAgo(150)));
    expect(rows.every((r) => r.first_observed !== null)).toBe(true);
  });
});

describe('kms/keys-without-rotation', () => {
  test('one row per key failing our rule or KMS.4 now, naming every check that fails it', async () => {
    expect(await run(lake, 'kms/keys-without-rotation')).toEqual([
      { account_id: SHARED, region: EU, resource_arn: keys.noRotationFor100Days, failed_checks: 'cmk-backing-key-rotation-enabled', last_evaluated: ts(daysAgo(100)) },
      { account_id: SHARED, region: US, resource_arn: keys.noRotationByRule, failed_checks: 'cmk-backing-key-rotation-enabled', last_evaluated: ts(daysAgo(2)) },
      // Reported by our rule and by KMS.4 under two standards: one row.
      { account_id: PROD, region: EU, resource_arn: keys.noRotationByBoth, failed_checks: 'KMS.4, cmk-backing-key-rotation-enabled', last_evaluated: ts(daysAgo(1)) },
      // Our rule passed it, Security Hub's control fails it.
      { account_id: DEV, region: US, resource_arn: keys.noRotationByControl, failed_checks: 'KMS.4', last_evaluated: ts(daysAgo(1)) },
    ]);
  });

  test('a key whose KMS.4 finding passed since, or that fails only another control, is not listed', async () => {
    const listed = arns(await run(lake, 'kms/keys-without-rotation'));
    expect(listed).not.toContain(keys.rotationFixed);
    expect(listed).not.toContain(keys.usedYesterday);
  });
});

describe('kms/pending-deletion', () => {
  test('lists the key the managed rule fails, not the one it passes', async () => {
    expect(await run(lake, 'kms/pending-deletion')).toEqual([
      { account_id: DEV, region: EU, resource_arn: keys.pendingDeletion, last_evaluated: ts(daysAgo(1)), workflow_status: 'New' },
    ]);
  });
});

describe('kms/access-denied', () => {
  test('groups denials by key, operation and principal, keeping what a denied call asked for', async () => {
    expect(await run(lake, 'kms/access-denied')).toEqual([
      {
        account_id: PROD, region: US, resource_arn: keys.payments, requested_key: keys.payments, operation: 'Decrypt',
        principal: principals.intern.arn, error_code: 'AccessDenied', attempts: 3, first_attempt: ts(daysAgo(9)), last_attempt: ts(daysAgo(2)),
      },
      // An alias names no key ARN: the row keeps the account and region of the trail that recorded it.
      {
        account_id: DEV, region: EU, resource_arn: null, requested_key: 'alias/payments', operation: 'Encrypt',
        principal: principals.intern.arn, error_code: 'AccessDeniedException', attempts: 1, first_attempt: ts(daysAgo(7)), last_attempt: ts(daysAgo(7)),
      },
    ]);
  });

  test('other failures (a key pending deletion) and other services are not denials', async () => {
    const rows = await run(lake, 'kms/access-denied');
    expect(arns(rows)).not.toContain(keys.pendingDeletion);
    expect(rows.map((r) => r.operation)).not.toContain('GetSecretValue');
  });
});

describe('kms/operations', () => {
  test('counts each call once, in the key owner\'s account, with the calling role (not its session)', async () => {
    const rows = await run(lake, 'kms/operations');
    expect(rows).toContainEqual({
      account_id: PROD, region: US, resource_arn: keys.payments, operation: 'Decrypt', principal: principals.paymentsApp.issuer,
      calls: 5, failed_calls: 0, first_call: ts(daysAgo(8)), last_call: ts(daysAgo(1)),
    });
    // Recorded by both trails under one event id: one call.
    expect(rows).toContainEqual({
      account_id: PROD, region: US, resource_arn: keys.payments, operation: 'GenerateDataKey', principal: principals.devCi.issuer,
      calls: 1, failed_calls: 0, first_call: ts(daysAgo(3)), last_call: ts(daysAgo(3)),
    });
    // The key ARN of CreateKey is only in the response.
    expect(rows).toContainEqual({
      account_id: SHARED, region: EU, resource_arn: keys.created, operation: 'CreateKey', principal: principals.keyAdmin.issuer,
      calls: 1, failed_calls: 0, first_call: ts(daysAgo(12)), last_call: ts(daysAgo(12)),
    });
    expect(rows).toContainEqual({
      account_id: PROD, region: US, resource_arn: keys.usedYesterday, operation: 'Decrypt', principal: 'secretsmanager.amazonaws.com',
      calls: 1, failed_calls: 0, first_call: ts(daysAgo(1)), last_call: ts(daysAgo(1)),
    });
    expect(rows).toHaveLength(9);
  });

  test('a call one minute inside the window counts, one minute outside does not', async () => {
    const legacy = (await run(lake, 'kms/operations')).filter((r) => r.principal === principals.legacyBatch.issuer);
    expect(legacy).toEqual([
      {
        account_id: PROD, region: US, resource_arn: keys.usedYesterday, operation: 'Decrypt', principal: principals.legacyBatch.issuer,
        calls: 1, failed_calls: 0, first_call: ts(JUST_INSIDE), last_call: ts(JUST_INSIDE),
      },
    ]);
  });

  test('no Secrets Manager or ACM operation appears', async () => {
    const ops = new Set((await run(lake, 'kms/operations')).map((r) => r.operation));
    expect([...ops].sort()).toEqual(['CreateKey', 'Decrypt', 'Encrypt', 'GenerateDataKey']);
  });
});

describe('kms/cross-account-use', () => {
  test('lists callers from another account than the key owner, once per call', async () => {
    expect(await run(lake, 'kms/cross-account-use')).toEqual([
      {
        account_id: PROD, region: US, resource_arn: keys.payments, caller_account_id: DEV, principal: principals.devCi.issuer,
        operations: 'Decrypt, GenerateDataKey', calls: 2, failed_calls: 0, last_call: ts(daysAgo(3)),
      },
      {
        account_id: PROD, region: US, resource_arn: keys.payments, caller_account_id: DEV, principal: principals.intern.arn,
        operations: 'Decrypt', calls: 3, failed_calls: 3, last_call: ts(daysAgo(2)),
      },
    ]);
  });
});

describe('kms/top-decrypters', () => {
  test('ranks principals by successful Decrypt calls in the window', async () => {
    expect(await run(lake, 'kms/top-decrypters')).toEqual([
      { principal: principals.paymentsApp.issuer, principal_account_id: PROD, decrypt_calls: 5, distinct_keys: 1, key_accounts: 1, last_decrypt: ts(daysAgo(1)) },
      // Tied at one call: by principal name.
      { principal: principals.legacyBatch.issuer, principal_account_id: PROD, decrypt_calls: 1, distinct_keys: 1, key_accounts: 1, last_decrypt: ts(JUST_INSIDE) },
      { principal: principals.devCi.issuer, principal_account_id: DEV, decrypt_calls: 1, distinct_keys: 1, key_accounts: 1, last_decrypt: ts(daysAgo(4)) },
      { principal: 'secretsmanager.amazonaws.com', principal_account_id: null, decrypt_calls: 1, distinct_keys: 1, key_accounts: 1, last_decrypt: ts(daysAgo(1)) },
    ]);
  });

  test('denied decrypts do not count', async () => {
    const principalsListed = (await run(lake, 'kms/top-decrypters')).map((r) => r.principal);
    expect(principalsListed).not.toContain(principals.intern.arn);
  });
});

describe('one call recorded by two trails', () => {
  test('counts once whichever spelling of sharedEventID the unmapped map uses, and twice without one', async () => {
    const copies = bothTrails({ account: DEV, region: US, service: 'kms.amazonaws.com', operation: 'Decrypt', at: daysAgo(1), caller: principals.devCi, resources: [keyResource(keys.payments)] }, PROD);
    // The two copies differ in eventID (metadata.uid), as CloudTrail writes them.
    expect(new Set(copies.map((c) => (c.metadata as { uid: string }).uid)).size).toBe(2);
    const respelled = copies.map((c) => {
      const { sharedEventID, ...rest } = c.unmapped as Record<string, string>;
      return { ...c, unmapped: { ...rest, sharedEventId: sharedEventID } };
    });
    const unshared = copies.map((c) => {
      const { sharedEventID: _dropped, ...rest } = c.unmapped as Record<string, string>;
      return { ...c, unmapped: rest };
    });
    for (const [rows, calls] of [[copies, 1], [respelled, 1], [unshared, 2]] as const) {
      const small = await SecurityLake.open({ now: NOW });
      try {
        await small.addApiCalls([...rows]);
        expect(await run(small, 'kms/cross-account-use')).toEqual([expect.objectContaining({ resource_arn: keys.payments, calls })]);
      } finally {
        small.close();
      }
    }
  });
});
