import { fitAnnotation, MAX_ANNOTATION_LENGTH, truncateCodePoints } from '../../../lambda/runtime/evaluation';

const GRIN = '\u{1F600}'; // 😀, two UTF-16 units
const a = (n: number) => 'a'.repeat(n);
const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('fitAnnotation', () => {
  test.each<[string, string, string]>([
    ['empty', '', ''],
    ['short text unchanged', 'Key unused for 91 days.', 'Key unused for 91 days.'],
    ['exactly 256 units unchanged', a(256), a(256)],
    ['astral text that fits exactly unchanged', a(254) + GRIN, a(254) + GRIN],
    ['257 units cut to 255 + ellipsis', a(257), a(255) + '…'],
    ['emoji straddling the cut is dropped whole', a(254) + GRIN + 'tail', a(254) + '…'],
    ['emoji ending right at the cut is kept', a(253) + GRIN + 'tail', a(253) + GRIN + '…'],
    ['emoji just after the cut is dropped', a(255) + GRIN, a(255) + '…'],
    ['all emoji, odd budget', GRIN.repeat(200), GRIN.repeat(127) + '…'],
    ['lone high surrogate in input replaced', 'x\uD83Dy', 'x\uFFFDy'],
    ['lone low surrogate in input replaced', '\uDE00z', '\uFFFDz'],
  ])('%s', (_case, input, expected) => {
    const out = fitAnnotation(input);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
    expect(hasLoneSurrogate(out)).toBe(false);
  });

  test('every cut position around an emoji stays within 256 units and well formed', () => {
    for (let pad = 240; pad <= 260; pad++) {
      const out = fitAnnotation(a(pad) + GRIN + a(10));
      expect(out.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
      expect(hasLoneSurrogate(out)).toBe(false);
    }
  });
});

describe('truncateCodePoints', () => {
  test.each<[string, string, number, string | undefined, string]>([
    ['fits', 'abc', 3, undefined, 'abc'],
    ['cut with default ellipsis', 'abcdef', 4, undefined, 'abc…'],
    ['custom ellipsis', 'abcdef', 5, '...', 'ab...'],
    ['empty ellipsis', 'abcdef', 3, '', 'abc'],
    ['pair straddling the cut', `ab${GRIN}cd`, 4, undefined, 'ab…'],
    ['pair before the cut kept', `a${GRIN}cd`, 4, undefined, `a${GRIN}…`],
    ['only room for the ellipsis', 'abcdef', 1, undefined, '…'],
    ['astral ellipsis counts two units', 'abcdef', 4, GRIN, `ab${GRIN}`],
  ])('%s', (_case, text, maxUnits, ellipsis, expected) => {
    expect(truncateCodePoints(text, maxUnits, ellipsis)).toBe(expected);
  });

  test.each<[string, number]>([
    ['smaller than the ellipsis', 0],
    ['negative', -1],
    ['fractional', 2.5],
  ])('refuses maxUnits %s', (_case, maxUnits) => {
    expect(() => truncateCodePoints('abcdef', maxUnits)).toThrow(RangeError);
    expect(() => truncateCodePoints('abcdef', maxUnits)).toThrow(`maxUnits must be an integer of at least 1 (the ellipsis), got ${maxUnits}`);
  });
});
