/**
 * The service control policy that governs exemption tags, as a pure document: the management
 * stack creates it (lib/org/exemption-guardrail.ts) and the settings check its size first.
 */

/** Organizations' limit on a service control policy document, in characters. */
export const SCP_MAX_CHARACTERS = 5120;

/**
 * The calls that can set or remove a tag on a KMS key, secret, certificate or Private CA, and that carry the
 * tag keys of the request in `aws:TagKeys` (Service Authorization Reference): tagging and
 * untagging, and creating with tags. The Resource Groups Tagging API's calls are listed too; they
 * also need the service's own tagging permission, which this policy denies as well.
 */
export const TAGGING_ACTIONS = [
  'kms:TagResource',
  'kms:UntagResource',
  'kms:CreateKey',
  'kms:ReplicateKey',
  'secretsmanager:TagResource',
  'secretsmanager:UntagResource',
  'secretsmanager:CreateSecret',
  'acm:AddTagsToCertificate',
  'acm:RemoveTagsFromCertificate',
  'acm:RequestCertificate',
  'acm:ImportCertificate',
  'acm-pca:TagCertificateAuthority',
  'acm-pca:UntagCertificateAuthority',
  'acm-pca:CreateCertificateAuthority',
  'tag:TagResources',
  'tag:UntagResources',
] as const;

/** The policy document: pure, so its size can be checked when settings are read. */
export function exemptionGuardrailDocument(tagKeys: readonly string[], allowedPrincipalArns: readonly string[]): Record<string, unknown> {
  const condition: Record<string, unknown> = { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [...tagKeys] } };
  if (allowedPrincipalArns.length > 0) condition.ArnNotLike = { 'aws:PrincipalArn': [...allowedPrincipalArns] };
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OnlyListedPrincipalsGrantOrRevokeExemptions',
        Effect: 'Deny',
        Action: [...TAGGING_ACTIONS],
        Resource: '*',
        Condition: condition,
      },
    ],
  };
}
