import { matchesEventPattern } from '../support/event-pattern';
import { matchesFilterPattern, parseFilterPattern } from '../support/filter-pattern';
import { renderInputTemplate } from '../support/input-transformer';

describe('CloudWatch Logs filter pattern evaluator', () => {
  const record = {
    eventSource: 'kms.amazonaws.com',
    eventName: 'GenerateDataKeyWithoutPlaintext',
    errorMessage: 'arn:aws:kms:us-west-2:111122223333:key/k is pending deletion.',
    requestParameters: { keyId: 'k', pendingWindowInDays: 20 },
    responseElements: null,
    resources: [{ ARN: 'arn:aws:kms:us-west-2:111122223333:key/k' }],
    readOnly: true,
  };

  it.each([
    ['{ $.eventSource = kms.amazonaws.com }', true],
    ['{ $.eventSource = "kms.amazonaws.com" }', true],
    ['{ $.eventSource = s3.amazonaws.com }', false],
    ['{ $.eventSource = kms* }', true],
    ['{ $.eventName = GenerateDataKey* }', true],
    ['{ $.eventName = GenerateDataKey }', false],
    ['{ $.errorMessage = "* is pending deletion." }', true],
    ['{ $.errorMessage = "*marked for deletion*" }', false],
    ['{ $.eventName = generatedatakey* }', false],
    ['{ $.eventSource != kms.amazonaws.com }', false],
    ['{ $.eventSource != s3.amazonaws.com }', true],
    ['{ $.errorCode != AccessDenied }', false],
    ['{ $.errorCode NOT EXISTS }', true],
    ['{ $.eventName NOT EXISTS }', false],
    ['{ $.eventName EXISTS }', true],
    ['{ $.responseElements IS NULL }', true],
    ['{ $.requestParameters IS NULL }', false],
    ['{ $.readOnly IS TRUE }', true],
    ['{ $.readOnly IS FALSE }', false],
    ['{ $.requestParameters.pendingWindowInDays = 20 }', true],
    ['{ $.requestParameters.pendingWindowInDays = 7 }', false],
    ['{ $.resources[0].ARN = "arn:aws:kms:*" }', true],
    ['{ $.resources[1].ARN = "arn:aws:kms:*" }', false],
    ['{ ($.eventSource = kms.amazonaws.com) && ($.eventName = Decrypt) }', false],
    ['{ ($.eventSource = kms.amazonaws.com) && (($.eventName = Decrypt) || ($.eventName = GenerateDataKey*)) }', true],
    ['{ $.eventName = Decrypt || $.eventName = Encrypt && $.eventSource = kms.amazonaws.com }', false],
    ['{ $.eventName = Decrypt && $.eventSource = kms.amazonaws.com || $.readOnly IS TRUE }', true],
    ['{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=GenerateDataKeyWithoutPlaintext)) }', true],
    // A * inside a value is the character itself ("Ev*ent will only match the actual string Ev*ent").
    ['{ $.eventSource = kms*amazonaws.com }', false],
    ['{ $.eventSource = "*.amazonaws.*" }', true],
    // A regex matches anywhere in the value unless anchored.
    ['{ $.eventName = %DataKey% }', true],
    ['{ $.eventName = %^DataKey% }', false],
    ['{ $.eventName = %^GenerateDataKey[A-Za-z]+$% }', true],
    ['{ $.requestParameters.keyId = %^k$% && $.eventSource = kms* }', true],
  ])('%s → %s', (pattern, expected) => {
    expect(matchesFilterPattern(pattern, record)).toBe(expected);
  });

  it('refuses a regex CloudWatch Logs would refuse (parentheses)', () => {
    expect(() => matchesFilterPattern('{ $.eventName = %(Generate|Decrypt)% }', record)).toThrow(/regex of CloudWatch Logs syntax/);
  });

  it.each(['$.eventName = Decrypt', '{ $.eventName Decrypt }', '{ eventName = Decrypt }', '{ ($.a = b }', '{ $.a = "b }', '{ $.a = b } x'])(
    'rejects the malformed pattern %s',
    (pattern) => {
      expect(() => parseFilterPattern(pattern)).toThrow(/Filter pattern: expected/);
    },
  );
});

describe('EventBridge pattern matcher', () => {
  const event = {
    source: 'aws.access-analyzer',
    'detail-type': 'Access Analyzer Finding',
    resources: ['arn:aws:access-analyzer:ap-southeast-2::analyzer/a'],
    detail: {
      status: 'ACTIVE',
      isPublic: true,
      resourceType: 'AWS::KMS::Key',
      action: ['kms:Decrypt', 'kms:Encrypt'],
      count: 3,
      tags: [{ key: 'cost-center', value: '4410' }, { key: 'team', value: 'payments' }],
    },
  };

  it.each([
    [{ source: ['aws.access-analyzer'] }, true],
    [{ source: ['aws.kms', 'aws.acm'] }, false],
    [{ detail: { isPublic: [true] } }, true],
    [{ detail: { isPublic: ['true'] } }, false],
    [{ detail: { count: [3] } }, true],
    [{ detail: { action: ['kms:Encrypt'] } }, true],
    [{ detail: { action: ['kms:Sign'] } }, false],
    [{ detail: { status: [{ 'anything-but': ['ARCHIVED', 'RESOLVED'] }] } }, true],
    [{ detail: { status: [{ 'anything-but': 'ACTIVE' }] } }, false],
    [{ detail: { resourceType: [{ prefix: 'AWS::KMS' }] } }, true],
    [{ detail: { resourceType: [{ suffix: '::Secret' }] } }, false],
    [{ detail: { resourceType: [{ 'equals-ignore-case': 'aws::kms::key' }] } }, true],
    [{ resources: [{ wildcard: 'arn:aws:access-analyzer:*:analyzer/*' }] }, true],
    [{ detail: { missing: [{ exists: false }] } }, true],
    [{ detail: { status: [{ exists: false }] } }, false],
    [{ detail: { missing: ['x'] } }, false],
    [{ detail: { status: { nested: ['x'] } } }, false],
    [{ $or: [{ source: ['aws.kms'] }, { detail: { isPublic: [true] } }] }, true],
    [{ $or: [{ source: ['aws.kms'] }, { detail: { isPublic: [false] } }] }, false],
    // Arrays of objects flatten: a field matches when any element's field does.
    [{ detail: { tags: { key: ['team'] } } }, true],
    [{ detail: { tags: { key: ['owner'] } } }, false],
  ])('%j → %s', (pattern, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('refuses operators it does not implement rather than guessing', () => {
    expect(() => matchesEventPattern({ detail: { count: [{ numeric: ['>', 1] }] } }, event)).toThrow(/Unsupported/);
  });
});

describe('input transformer rendering', () => {
  const event = { account: '111122223333', detail: { 'key-id': 'k1', action: ['a', 'b'], principal: { AWS: '*' } }, resources: ['arn:1'] };

  it('fills strings as text, objects and arrays as JSON, and absent paths as nothing', () => {
    const text = renderInputTemplate(
      { account: '$.account', key: '$.detail.key-id', actions: '$.detail.action', who: '$.detail.principal', arn: '$.resources[0]', gone: '$.detail.none' },
      'Key <key> in <account> (<arn>): <actions> for <who>.<gone>',
      event,
    );
    expect(text).toBe('Key k1 in 111122223333 (arn:1): ["a","b"] for {"AWS":"*"}.');
  });

  it('rejects a placeholder without an input path', () => {
    expect(() => renderInputTemplate({}, 'Key <key>', event)).toThrow(/no input path/);
  });
});
