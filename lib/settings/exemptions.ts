import type { z } from 'zod';
import { exemptionTagKeys } from '../catalog';
import { exemptionGuardrailDocument, SCP_MAX_CHARACTERS } from '../exemption-policy';
import { bool, list, section, text } from './fields';

/**
 * How granting an exemption is governed. An exemption is a tag (each custom rule's
 * `exemptionTagKey`); these settings make setting or removing it a controlled, visible act.
 */

/**
 * An IAM role or user ARN as `aws:PrincipalArn` carries it (an assumed role appears as its role
 * ARN), with `*` and `?` allowed for ArnLike: `arn:aws:iam::*:role/SecurityExemptions`.
 */
const principalArn = text(
  /^arn:aws[a-z-]*:iam::(\d{12}|\*):(role|user)\/[\w+=,.@/*?-]{1,512}$/,
  'an IAM role or user ARN such as arn:aws:iam::111122223333:role/SecurityExemptions (account id or * and * ? wildcards allowed)',
);

export const exemptionsSchema = section({
  serviceControlPolicy: section({
    /**
     * A service control policy, created by the management stack and attached to the target OUs
     * (or the organization root), that denies setting or removing an exemption tag key on KMS keys,
     * secrets and certificates to every principal not listed below.
     */
    enabled: bool().default(false),
    /** Who may still set and remove exemption tags. Empty: nobody in the accounts the policy covers. */
    allowedPrincipalArns: list(principalArn, { unique: true }).default([]),
  }).prefault({}),
  /** An alert on the central bus whenever an exemption tag is set or removed anywhere (needs alerting). */
  alertOnChange: bool().default(true),
});

export type ExemptionsSettings = z.output<typeof exemptionsSchema>;

interface ExemptionPolicyInputs {
  readonly rules: Parameters<typeof exemptionTagKeys>[0];
  readonly exemptions: ExemptionsSettings;
}

/** The service control policy needs a tag key to guard, and must fit Organizations' size limit. */
export function checkExemptionPolicy(s: ExemptionPolicyInputs, ctx: z.RefinementCtx): void {
  const scp = s.exemptions.serviceControlPolicy;
  if (!scp.enabled) return;
  const keys = exemptionTagKeys(s.rules);
  if (keys.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['exemptions', 'serviceControlPolicy', 'enabled'],
      input: true,
      message: 'needs at least one enabled custom rule: only the custom rules honour an exemption tag, so with none there is no tag to guard',
    });
    return;
  }
  const size = JSON.stringify(exemptionGuardrailDocument(keys, scp.allowedPrincipalArns)).length;
  if (size > SCP_MAX_CHARACTERS) {
    ctx.addIssue({
      code: 'custom',
      path: ['exemptions', 'serviceControlPolicy', 'allowedPrincipalArns'],
      input: scp.allowedPrincipalArns,
      params: { got: `${scp.allowedPrincipalArns.length} principals (a ${size}-character policy)` },
      message: `must fit a service control policy of at most ${SCP_MAX_CHARACTERS} characters: list fewer principals, or use wildcards (arn:aws:iam::*:role/SecurityExemptions)`,
    });
  }
}
