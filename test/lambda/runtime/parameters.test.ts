import {
  InvalidParameterError,
  intParameter,
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
