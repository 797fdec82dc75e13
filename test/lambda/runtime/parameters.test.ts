import {
  dateParameter,
  InvalidParameterError,
  intParameter,
  inventoryParameterNames,
  inventoryParameters,
  priceParameter,
  rateParameter,
  refuseUnknownParameters,
  UnknownParameterError,
} from '../../../lambda/runtime/parameters';

const INT_ALLOWED = 'an integer from 1 to 365, in decimal digits only';
const RATE_ALLOWED = 'a number from 0.5 to 50, in decimal digits with an optional fractional part such as "2.5"';

describe('intParameter(unusedForDays, 1..365, fallback 90)', () => {
  test.each<[string, Record<string, string>, number]>([
    ['absent', {}, 90],
    ['empty', { unusedForDays: '' }, 90],
    ['only whitespace', { unusedForDays: '   ' }, 90],
    ['lower bound', { unusedForDays: '1' }, 1],
    ['upper bound', { unusedForDays: '365' }, 365],
    ['surrounding whitespace', { unusedForDays: ' 30\t' }, 30],
    ['leading zeros are still decimal', { unusedForDays: '007' }, 7],
  ])('accepts %s', (_case, params, expected) => {
    expect(intParameter(params, 'unusedForDays', 1, 365, 90)).toBe(expected);
  });

  test.each([
    ['hexadecimal', '0x1E'],
    ['exponent', '3e1'],
    ['binary', '0b11'],
    ['octal prefix', '0o17'],
    ['fraction', '1.0'],
    ['plus sign', '+5'],
    ['minus zero', '-0'],
    ['negative', '-5'],
    ['inner space', '1 0'],
    ['digit separator', '1_000'],
    ['Infinity', 'Infinity'],
    ['word', 'ninety'],
    ['below minimum', '0'],
    ['above maximum', '366'],
    ['far above maximum', '99999999999999999999'],
    ['full-width digits', '３０'],
  ])('refuses %s (%p) naming the parameter, value and what is allowed', (_case, value) => {
    const call = () => intParameter({ unusedForDays: value }, 'unusedForDays', 1, 365, 90);
    expect(call).toThrow(InvalidParameterError);
    expect(call).toThrow(`Invalid rule parameter unusedForDays=${JSON.stringify(value)}: must be ${INT_ALLOWED}`);
  });

  test('the error is named InvalidParameterError', () => {
    expect(() => intParameter({ n: 'x' }, 'n', 1, 2, 1)).toThrow(expect.objectContaining({ name: 'InvalidParameterError' }));
  });
});

describe('rateParameter(requestsPerSecond, 0.5..50, fallback 5)', () => {
  const read = (value?: string) =>
    rateParameter(value === undefined ? {} : { requestsPerSecond: value }, 'requestsPerSecond', 0.5, 50, 5);

  test.each<[string, string | undefined, number]>([
    ['absent', undefined, 5],
    ['empty', '', 5],
    ['whitespace', ' ', 5],
    ['integer', '10', 10],
    ['fraction', '2.5', 2.5],
    ['lower bound', '0.5', 0.5],
    ['upper bound', '50', 50],
    ['upper bound with zeros', '50.000', 50],
    ['surrounding whitespace', ' 1.25 ', 1.25],
  ])('accepts %s', (_case, value, expected) => {
    expect(read(value)).toBe(expected);
  });

  test.each([
    ['leading dot', '.5'],
    ['trailing dot', '5.'],
    ['exponent', '5e0'],
    ['hexadecimal', '0x5'],
    ['plus sign', '+5'],
    ['negative', '-1'],
    ['comma decimal', '2,5'],
    ['two dots', '1.2.3'],
    ['digit separator', '1_0'],
    ['inner space', '2 .5'],
    ['NaN', 'NaN'],
    ['below minimum', '0.4'],
    ['zero', '0'],
    ['above maximum', '50.01'],
  ])('refuses %s (%p) naming the parameter, value and what is allowed', (_case, value) => {
    expect(() => read(value)).toThrow(InvalidParameterError);
    expect(() => read(value)).toThrow(`Invalid rule parameter requestsPerSecond=${JSON.stringify(value)}: must be ${RATE_ALLOWED}`);
  });
});

describe('refuseUnknownParameters', () => {
  const allowed = ['unusedForDays', 'exemptionTagKey'] as const;

  test.each<[string, Record<string, string>]>([
    ['no parameters', {}],
    ['some allowed', { unusedForDays: '30' }],
    ['all allowed', { unusedForDays: '30', exemptionTagKey: 'keep' }],
    ['allowed key with empty value', { exemptionTagKey: '' }],
  ])('accepts %s', (_case, params) => {
    expect(() => refuseUnknownParameters(params, allowed)).not.toThrow();
  });

  test.each<[string, Record<string, string>, readonly string[], string]>([
    ['a misspelt key', { unusedForDay: '30' }, allowed, 'Unknown rule parameter(s) "unusedForDay": this rule takes exemptionTagKey, unusedForDays'],
    [
      'several unknown keys, sorted',
      { zeta: '1', unusedForDays: '30', Alpha: '2', beta: '' },
      allowed,
      'Unknown rule parameter(s) "Alpha", "beta", "zeta": this rule takes exemptionTagKey, unusedForDays',
    ],
    ['a key differing only in case', { UnusedForDays: '30' }, allowed, 'Unknown rule parameter(s) "UnusedForDays": this rule takes exemptionTagKey, unusedForDays'],
    ['any key when none are allowed', { x: '1' }, [], 'Unknown rule parameter(s) "x": this rule takes no parameters'],
  ])('refuses %s', (_case, params, allowedKeys, message) => {
    const call = () => refuseUnknownParameters(params, allowedKeys);
    expect(call).toThrow(UnknownParameterError);
    expect(call).toThrow(expect.objectContaining({ name: 'UnknownParameterError', message }));
  });

  test('does not reorder the caller\'s allowed list', () => {
    const list = ['b', 'a'];
    expect(() => refuseUnknownParameters({ c: '1' }, list)).toThrow('this rule takes a, b');
    expect(list).toEqual(['b', 'a']);
  });
});

describe('inventory parameters', () => {
  const TARGET = { inventoryBucket: 'crypto-monitoring-inventory-444455556666-us-east-1', inventoryBucketOwner: '444455556666', inventoryRegion: 'us-east-1' };
  const FULL = { ...TARGET, priceDate: '2026-11-01', kmsKeyMonthlyUsd: '1', kmsKeyRotationMonthlyUsd: '0.50' };
  const KMS_PRICES = ['kmsKeyMonthlyUsd', 'kmsKeyRotationMonthlyUsd'] as const;

  test('none given: the inventory is off', () => {
    expect(inventoryParameters({ unusedForDays: '90' }, KMS_PRICES)).toBeUndefined();
    expect(inventoryParameters({ inventoryBucket: '  ' }, KMS_PRICES)).toBeUndefined();
  });

  test('all given: the target, and the prices the rule reads with their date; the others are no figure at all', () => {
    expect(inventoryParameters(FULL, KMS_PRICES)).toEqual({
      target: { bucket: TARGET.inventoryBucket, bucketOwner: '444455556666', region: 'us-east-1' },
      prices: { date: '2026-11-01', kmsKeyMonthlyUsd: 1, kmsKeyRotationMonthlyUsd: 0.5, secretMonthlyUsd: NaN, privateCaGeneralPurposeMonthlyUsd: NaN, privateCaShortLivedMonthlyUsd: NaN },
    });
    expect(inventoryParameterNames(KMS_PRICES)).toEqual(['inventoryBucket', 'inventoryBucketOwner', 'inventoryRegion', 'priceDate', 'kmsKeyMonthlyUsd', 'kmsKeyRotationMonthlyUsd']);
  });

  test.each<[string, Record<string, string>, string]>([
    ['a price without a bucket', { kmsKeyMonthlyUsd: '1' }, 'Invalid rule parameter kmsKeyMonthlyUsd="1": must be absent while inventoryBucket is not set (the inventory is off)'],
    ['an owner without a bucket', { inventoryBucketOwner: '444455556666' }, 'inventoryBucketOwner="444455556666": must be absent while inventoryBucket is not set'],
    ['a bucket without its owner', { ...FULL, inventoryBucketOwner: '' }, 'inventoryBucketOwner="": must be set whenever inventoryBucket is set'],
    ['a bucket without a price', { ...FULL, kmsKeyRotationMonthlyUsd: undefined as unknown as string }, 'kmsKeyRotationMonthlyUsd="": must be set whenever inventoryBucket is set'],
    ['an upper-case bucket name', { ...FULL, inventoryBucket: 'Inventory' }, 'inventoryBucket="Inventory": must be an S3 bucket name'],
    ['a bucket name with two dots in a row', { ...FULL, inventoryBucket: 'a..b' }, 'must be an S3 bucket name'],
    ['an owner of 11 digits', { ...FULL, inventoryBucketOwner: '44445555666' }, 'must be a 12-digit AWS account id'],
    ['a Region that is not one', { ...FULL, inventoryRegion: 'Europe' }, 'must be an AWS Region name such as eu-west-1'],
    ['a date that does not exist', { ...FULL, priceDate: '2026-02-30' }, 'priceDate="2026-02-30": must be a calendar date YYYY-MM-DD'],
    ['a date in another form', { ...FULL, priceDate: '01/11/2026' }, 'must be a calendar date YYYY-MM-DD'],
    ['a price with an exponent', { ...FULL, kmsKeyMonthlyUsd: '1e0' }, 'kmsKeyMonthlyUsd="1e0": must be a price in US dollars from 0 to 100000'],
    ['a negative price', { ...FULL, kmsKeyMonthlyUsd: '-1' }, 'must be a price in US dollars'],
    ['a price past the settings maximum', { ...FULL, kmsKeyMonthlyUsd: '100000.01' }, 'must be a price in US dollars'],
  ])('%s is refused, naming it', (_name, params, message) => {
    expect(() => inventoryParameters(params, KMS_PRICES)).toThrow(InvalidParameterError);
    expect(() => inventoryParameters(params, KMS_PRICES)).toThrow(message);
  });

  test.each([['0', 0], ['0.40', 0.4], ['100000', 100000], [' 400 ', 400], ['0.0000001', 0.0000001]])('price %p reads as %p', (raw, n) => {
    expect(priceParameter({ p: raw }, 'p')).toBe(n);
  });

  test.each(['2026-11-01', '2028-02-29'])('date %s is taken', (d) => {
    expect(dateParameter({ d }, 'd')).toBe(d);
  });
});
