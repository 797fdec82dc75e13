import { z } from 'zod';
import { bool, int, oneOf, section, text } from './fields';

/** The periods AWS Config accepts as MaximumExecutionFrequency. */
export const EVALUATION_FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'] as const;

/** Tag keys: 1-128 characters of letters, digits, spaces and _ . : / = + - @, not starting with aws:. */
export const exemptionTagKey = text(
  /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
  'a tag key of 1 to 128 letters, digits, spaces or _ . : / = + - @, not starting with "aws:"',
);

export const kmsUnusedKeySchema = section({
  enabled: bool().default(true),
  /** A key with no cryptographic use for more than this many days is NON_COMPLIANT. */
  unusedForDays: int(1, 365).default(90),
  evaluationFrequency: oneOf(EVALUATION_FREQUENCIES).default('TwentyFour_Hours'),
  /** A key carrying this tag key is NOT_APPLICABLE. */
  exemptionTagKey: exemptionTagKey.default('crypto-monitoring:exempt'),
});

export const rulesSchema = section({
  kmsUnusedKey: kmsUnusedKeySchema.prefault({}),
});

export type RulesSettings = z.output<typeof rulesSchema>;
