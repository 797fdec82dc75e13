import type { SecurityLake } from '../fixtures/security-lake/lake';
import { organizationLake, run } from '../fixtures/security-lake/organization';
import { DEV, EU, PROD, SHARED, US, daysAgo, hoursAgo, principals, secrets, ts } from '../fixtures/security-lake/scenarios';

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
  test('groups denials by secret, operation and principal', async () => {
    expect(await run(lake, 'secretsManager/access-denied')).toEqual([
      {
        account_id: PROD, region: US, resource_arn: secrets.paymentsApiKey, operation: 'GetSecretValue', principal: principals.intern.arn,
        error_code: 'AccessDeniedException', attempts: 2, first_attempt: ts(daysAgo(4)), last_attempt: ts(daysAgo(1)),
      },
      {
        account_id: DEV, region: EU, resource_arn: secrets.forceDeletedByName, operation: 'DeleteSecret', principal: principals.intern.arn,
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
  test('lists successful deletions with their recovery window and any later restore', async () => {
    expect(await run(lake, 'secretsManager/deleted')).toEqual([
      {
        account_id: DEV, region: EU, resource_arn: secrets.forceDeletedByName, principal: principals.devCi.issuer, deleted_at: ts(daysAgo(3)),
        recovery_window_days: null, force_delete: 'true', restored_at: null,
      },
      {
        account_id: DEV, region: EU, resource_arn: secrets.deletedAndRestoredByName, principal: principals.devCi.issuer, deleted_at: ts(daysAgo(9)),
        recovery_window_days: '7', force_delete: 'false', restored_at: ts(daysAgo(8)),
      },
    ]);
  });
});

describe('secretsManager/reads', () => {
  test('counts successful GetSecretValue calls per secret and principal in the window', async () => {
    expect(await run(lake, 'secretsManager/reads')).toEqual([
      { account_id: PROD, region: US, resource_arn: secrets.dbPasswordByName, principal: principals.reportingJob.issuer, reads: 7, first_read: ts(daysAgo(7)), last_read: ts(daysAgo(1)) },
      { account_id: PROD, region: US, resource_arn: secrets.dbPasswordByName, principal: principals.newcomer.issuer, reads: 1, first_read: ts(hoursAgo(2)), last_read: ts(hoursAgo(2)) },
      { account_id: PROD, region: US, resource_arn: secrets.paymentsApiKey, principal: principals.paymentsApp.issuer, reads: 2, first_read: ts(daysAgo(10)), last_read: ts(daysAgo(3)) },
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
  test('groups every Secrets Manager call by secret, operation and principal', async () => {
    const rows = await run(lake, 'secretsManager/operations');
    expect(rows).toHaveLength(11);
    expect(rows[0]).toEqual({
      account_id: PROD, region: US, resource_arn: secrets.dbPasswordByName, operation: 'GetSecretValue', principal: principals.reportingJob.issuer,
      calls: 7, failed_calls: 0, first_call: ts(daysAgo(7)), last_call: ts(daysAgo(1)),
    });
    // CreateSecret names the secret by its new name.
    expect(rows).toContainEqual({
      account_id: SHARED, region: US, resource_arn: `arn:aws:secretsmanager:${US}:${SHARED}:secret:shared/new-secret`, operation: 'CreateSecret',
      principal: principals.keyAdmin.issuer, calls: 1, failed_calls: 0, first_call: ts(daysAgo(11)), last_call: ts(daysAgo(11)),
    });
    expect(rows).toContainEqual({
      account_id: PROD, region: US, resource_arn: `arn:aws:secretsmanager:${US}:${PROD}:secret:prod/removed`, operation: 'GetSecretValue',
      principal: principals.reportingJob.issuer, calls: 1, failed_calls: 1, first_call: ts(daysAgo(2)), last_call: ts(daysAgo(2)),
    });
    expect(new Set(rows.map((r) => r.operation))).toEqual(new Set(['GetSecretValue', 'CreateSecret', 'DeleteSecret', 'RestoreSecret']));
  });
});

describe('secretsManager/first-time-readers', () => {
  test('lists principals whose first read of a secret in the window is within the last day', async () => {
    expect(await run(lake, 'secretsManager/first-time-readers')).toEqual([
      { account_id: PROD, region: US, resource_arn: secrets.dbPasswordByName, principal: principals.newcomer.issuer, first_read: ts(hoursAgo(2)), reads: 1, earlier_readers: 1 },
      { account_id: PROD, region: US, resource_arn: secrets.paymentsApiKey, principal: principals.devCi.issuer, first_read: ts(hoursAgo(5)), reads: 1, earlier_readers: 1 },
    ]);
  });

  test('a principal reading daily for a week is not new', async () => {
    const listed = (await run(lake, 'secretsManager/first-time-readers')).map((r) => r.principal);
    expect(listed).not.toContain(principals.reportingJob.issuer);
  });
});
