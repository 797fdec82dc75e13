import type { SecurityLake } from '../fixtures/security-lake/lake';
import { organizationLake, run } from '../fixtures/security-lake/organization';
import { DEV, EU, PROD, SHARED, US, daysAgo, hoursAgo, partialArn, principals, secrets, ts } from '../fixtures/security-lake/scenarios';

let lake: SecurityLake;
beforeAll(async () => {
  lake = await organizationLake();
});
afterAll(() => lake.close());

describe('secretsManager/unused-secrets', () => {
  test('lists the secrets our rule fails now, however long ago it last said so, not the one read again since or failing another rule', async () => {
    expect(await run(lake, 'secretsManager/unused-secrets')).toEqual([
      { account_id: PROD, region: US, resource_arn: secrets.unused, first_observed: ts(daysAgo(1)), last_evaluated: ts(daysAgo(1)), workflow_status: 'New' },
      // One finding row, 200 days old: AWS Config sends nothing while the result stays the same.
      { account_id: DEV, region: US, resource_arn: secrets.unusedFor200Days, first_observed: ts(daysAgo(200)), last_evaluated: ts(daysAgo(200)), workflow_status: 'New' },
    ]);
  });
});

describe('secretsManager/rotation-not-enabled', () => {
  test('one row per secret failing our rule or SecretsManager.1 now; a fixed one is not listed', async () => {
    expect(await run(lake, 'secretsManager/rotation-not-enabled')).toEqual([
      { account_id: PROD, region: EU, resource_arn: secrets.noRotationByBoth, failed_checks: 'SecretsManager.1, secretsmanager-rotation-enabled-check', last_evaluated: ts(daysAgo(1)) },
      { account_id: DEV, region: EU, resource_arn: secrets.noRotationByRule, failed_checks: 'secretsmanager-rotation-enabled-check', last_evaluated: ts(daysAgo(1)) },
    ]);
  });
});

describe('secretsManager/access-denied', () => {
  test('groups denials by secret, operation and principal, each call once', async () => {
    expect(await run(lake, 'secretsManager/access-denied')).toEqual([
      // Two calls, each recorded by both trails.
      {
        account_id: PROD, region: US, resource_arn: secrets.paymentsApiKey, operation: 'GetSecretValue', principal: principals.intern.arn,
        error_code: 'AccessDeniedException', attempts: 2, first_attempt: ts(daysAgo(4)), last_attempt: ts(daysAgo(1)),
      },
      // Refused by name; the successful deletion's response gave the secret's full ARN.
      {
        account_id: DEV, region: EU, resource_arn: secrets.forceDeleted, operation: 'DeleteSecret', principal: principals.intern.arn,
        error_code: 'AccessDeniedException', attempts: 1, first_attempt: ts(daysAgo(2)), last_attempt: ts(daysAgo(2)),
      },
    ]);
  });

  test('a read of a missing secret failed for another reason: not a denial', async () => {
    const listed = (await run(lake, 'secretsManager/access-denied')).map((r) => r.resource_arn);
    expect(listed).not.toContain(`arn:aws:secretsmanager:${US}:${PROD}:secret:prod/removed`);
  });
});

describe('secretsManager/deleted', () => {
  test('lists successful deletions with their recovery window and a restore by ARN of a secret deleted by name', async () => {
    expect(await run(lake, 'secretsManager/deleted')).toEqual([
      {
        account_id: DEV, region: EU, resource_arn: secrets.forceDeleted, principal: principals.devCi.issuer, deleted_at: ts(daysAgo(3)),
        recovery_window_days: null, force_delete: 'true', restored_at: null,
      },
      {
        account_id: DEV, region: EU, resource_arn: secrets.deletedAndRestored, principal: principals.devCi.issuer, deleted_at: ts(daysAgo(9)),
        recovery_window_days: '7', force_delete: 'false', restored_at: ts(daysAgo(8)),
      },
    ]);
  });
});

describe('secretsManager/reads', () => {
  test('one row per secret and principal whether the secret was named by name, partial ARN or full ARN, batch reads once', async () => {
    expect(await run(lake, 'secretsManager/reads')).toEqual([
      // By name and by full ARN: one secret although its name ends like a suffix.
      { account_id: PROD, region: EU, resource_arn: secrets.cacheToken, principal: principals.paymentsApp.issuer, reads: 2, first_read: ts(daysAgo(2)), last_read: ts(daysAgo(1)) },
      // Seven reads by name, one by full ARN, one through BatchGetSecretValue's GetSecretValue entry.
      { account_id: PROD, region: US, resource_arn: secrets.dbPassword, principal: principals.reportingJob.issuer, reads: 9, first_read: ts(daysAgo(7)), last_read: ts(hoursAgo(1)) },
      // By partial ARN.
      { account_id: PROD, region: US, resource_arn: secrets.dbPassword, principal: principals.newcomer.issuer, reads: 1, first_read: ts(hoursAgo(2)), last_read: ts(hoursAgo(2)) },
      { account_id: PROD, region: US, resource_arn: secrets.dbPassword, principal: principals.paymentsApp.issuer, reads: 1, first_read: ts(daysAgo(6)), last_read: ts(daysAgo(6)) },
      { account_id: PROD, region: US, resource_arn: secrets.paymentsApiKey, principal: principals.paymentsApp.issuer, reads: 2, first_read: ts(daysAgo(10)), last_read: ts(daysAgo(3)) },
      { account_id: PROD, region: US, resource_arn: secrets.paymentsApiKey, principal: principals.reportingJob.issuer, reads: 1, first_read: ts(daysAgo(3)), last_read: ts(daysAgo(3)) },
      // Recorded by both trails: one read.
      { account_id: PROD, region: US, resource_arn: secrets.paymentsApiKey, principal: principals.devCi.issuer, reads: 1, first_read: ts(hoursAgo(5)), last_read: ts(hoursAgo(5)) },
    ]);
  });

  test('denied, failed and before-the-window reads are not reads', async () => {
    const rows = await run(lake, 'secretsManager/reads');
    expect(rows.map((r) => r.principal)).not.toContain(principals.intern.arn);
    expect(rows.map((r) => r.principal)).not.toContain(principals.legacyBatch.issuer);
    expect(rows.map((r) => r.resource_arn)).not.toContain(`arn:aws:secretsmanager:${US}:${PROD}:secret:prod/removed`);
  });
});

describe('secretsManager/operations', () => {
  test('groups every Secrets Manager call by secret, operation and principal, one row per secret however it was named', async () => {
    const rows = await run(lake, 'secretsManager/operations');
    expect(rows[0]).toEqual({
      account_id: PROD, region: US, resource_arn: secrets.dbPassword, operation: 'GetSecretValue', principal: principals.reportingJob.issuer,
      calls: 9, failed_calls: 0, first_call: ts(daysAgo(7)), last_call: ts(hoursAgo(1)), secret_values_read: 9,
    });
    // CreateSecret names the secret by its new name; its response gives the full ARN.
    expect(rows).toContainEqual({
      account_id: SHARED, region: US, resource_arn: secrets.created, operation: 'CreateSecret',
      principal: principals.keyAdmin.issuer, calls: 1, failed_calls: 0, first_call: ts(daysAgo(11)), last_call: ts(daysAgo(11)), secret_values_read: 0,
    });
    expect(rows).toContainEqual({
      account_id: PROD, region: US, resource_arn: `arn:aws:secretsmanager:${US}:${PROD}:secret:prod/removed`, operation: 'GetSecretValue',
      principal: principals.reportingJob.issuer, calls: 1, failed_calls: 1, first_call: ts(daysAgo(2)), last_call: ts(daysAgo(2)), secret_values_read: 0,
    });
    // The partial ARN of a name ending in "-token1" is read as Secrets Manager reads it: the full
    // ARN of a secret named "prod/cache" (which does not exist), not the cache token's row.
    expect(rows).toContainEqual({
      account_id: PROD, region: EU, resource_arn: partialArn(secrets.cacheToken), operation: 'GetSecretValue',
      principal: principals.paymentsApp.issuer, calls: 1, failed_calls: 1, first_call: ts(hoursAgo(3)), last_call: ts(hoursAgo(3)), secret_values_read: 0,
    });
    // The batch call names no single secret and returns no value of its own.
    expect(rows).toContainEqual({
      account_id: PROD, region: US, resource_arn: null, operation: 'BatchGetSecretValue',
      principal: principals.reportingJob.issuer, calls: 1, failed_calls: 0, first_call: ts(daysAgo(3)), last_call: ts(daysAgo(3)), secret_values_read: 0,
    });
    expect(rows.filter((r) => r.resource_arn === partialArn(secrets.dbPassword) || r.resource_arn === partialArn(secrets.paymentsApiKey))).toEqual([]);
    expect(new Set(rows.map((r) => r.operation))).toEqual(new Set(['GetSecretValue', 'BatchGetSecretValue', 'CreateSecret', 'DeleteSecret', 'RestoreSecret']));
    expect(rows).toHaveLength(16);
  });

  test('reads by operation count each secret value once: summing secret_values_read over the read operations equals the reads', async () => {
    const ops = await run(lake, 'secretsManager/operations');
    const readOps = ops.filter((r) => r.operation === 'GetSecretValue' || r.operation === 'BatchGetSecretValue');
    const sum = (rows: typeof ops, column: string) => rows.reduce((n, r) => n + (r[column] as number), 0);
    const reads = sum(await run(lake, 'secretsManager/reads'), 'reads');
    expect(reads).toBe(17);
    expect(sum(readOps, 'secret_values_read')).toBe(reads);
    // Summing calls instead counts the batch twice (its two entries, and the call itself) and the failed reads.
    expect(sum(readOps, 'calls')).toBeGreaterThan(reads);
  });
});

describe('secretsManager/first-time-readers', () => {
  test('lists principals whose first read of a secret in the window is within the last day', async () => {
    expect(await run(lake, 'secretsManager/first-time-readers')).toEqual([
      // By partial ARN; two principals had read it before, by name and by full ARN.
      { account_id: PROD, region: US, resource_arn: secrets.dbPassword, principal: principals.newcomer.issuer, first_read: ts(hoursAgo(2)), reads: 1, earlier_readers: 2 },
      { account_id: PROD, region: US, resource_arn: secrets.paymentsApiKey, principal: principals.devCi.issuer, first_read: ts(hoursAgo(5)), reads: 1, earlier_readers: 2 },
    ]);
  });

  test('a principal reading daily by name is not new when it reads by full ARN', async () => {
    const listed = (await run(lake, 'secretsManager/first-time-readers')).map((r) => r.principal);
    expect(listed).not.toContain(principals.reportingJob.issuer);
  });
});
