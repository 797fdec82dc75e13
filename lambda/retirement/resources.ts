/**
 * The facts each decision needs, and the one thing each step does, for KMS keys and secrets. Reads:
 * DescribeKey and ListResourceTags; DescribeSecret and GetResourcePolicy (never the secret's value);
 * AWS Config's latest result of the rule for the resource; CloudTrail for the observation period.
 * Acts: quarantine = tag, then DisableKey / add a Deny statement to the secret's resource policy;
 * retire = tag, then ScheduleKeyDeletion / DeleteSecret with a recovery window.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GetComplianceDetailsByResourceCommand, type ConfigServiceClient, type EvaluationResult } from '@aws-sdk/client-config-service';
import { DescribeKeyCommand, DisableKeyCommand, ListResourceTagsCommand, ScheduleKeyDeletionCommand, TagResourceCommand, type KMSClient, type Tag as KmsTag } from '@aws-sdk/client-kms';
import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
  TagResourceCommand as TagSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { ApiCalls } from '../runtime/api-calls';
import { errorName } from '../runtime/errors';
import { DAY_MS, isoDate } from '../runtime/evaluation';
import { collectPages } from '../runtime/paginate';
import { observationEvidence } from './cloudtrail';
import { quarantineTime, type KeyFacts, type ResourceFacts, type RuleResult, type SecretFacts, type StepName } from './decide';
import { QUARANTINE_SID, TAGS, tagValue } from './tags';

export type ResourceType = 'AWS::KMS::Key' | 'AWS::SecretsManager::Secret';

export interface Services {
  readonly kms: KMSClient;
  readonly secrets: SecretsManagerClient;
  readonly config: ConfigServiceClient;
  readonly cloudtrail: CloudTrailClient;
  /** Systems Manager: the act step reads its own Automation execution (approval.ts). */
  readonly ssm: SSMClient;
  readonly api: ApiCalls;
  /**
   * When (epoch milliseconds) no new CloudTrail page is read and no act starts: the time after it is
   * kept for an act's two or three calls, so a step never stops between its tags and its action.
   * No limit when absent.
   */
  readonly softDeadline?: number;
}

export interface GatherOptions {
  readonly resourceType: ResourceType;
  readonly resourceId: string;
  readonly ruleName: string;
  readonly observationDays: number;
  readonly now: Date;
}

/** What the decision reads, plus what the plan shows a person (the ARN, names the evidence was read under). */
export interface Gathered {
  readonly facts: ResourceFacts;
  readonly arn?: string;
}

const notFound = (e: unknown) => ['NotFoundException', 'ResourceNotFoundException'].includes(errorName(e));

async function ruleResult(s: Services, type: ResourceType, id: string, ruleName: string): Promise<RuleResult | undefined> {
  const results = await collectPages<EvaluationResult>(async (token) => {
    const out = await s.api.send(s.config, new GetComplianceDetailsByResourceCommand({ ResourceType: type, ResourceId: id, NextToken: token }));
    return { items: out.EvaluationResults, next: out.NextToken };
  });
  const own = results.find((r) => r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ConfigRuleName === ruleName);
  if (!own?.ComplianceType) return undefined;
  return { compliance: own.ComplianceType as RuleResult['compliance'], ...(own.Annotation ? { annotation: own.Annotation } : {}) };
}

/** The evidence is read only when the observation has run its course: before that, the decision needs none. */
async function evidenceFor(s: Services, kind: 'kms-key' | 'secret', names: string[], tags: Record<string, string>, o: GatherOptions) {
  const at = quarantineTime(tags);
  if (!(at instanceof Date) || o.now.getTime() - at.getTime() < o.observationDays * DAY_MS) return {};
  try {
    return { evidence: await observationEvidence(kind, names, at, o.now, s.cloudtrail, s.api, s.softDeadline) };
  } catch (e) {
    return { evidenceError: `${errorName(e)} on LookupEvents: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export async function gatherKey(s: Services, o: GatherOptions): Promise<Gathered> {
  let meta;
  try {
    meta = (await s.api.send(s.kms, new DescribeKeyCommand({ KeyId: o.resourceId }))).KeyMetadata;
  } catch (e) {
    if (notFound(e)) return { facts: { kind: 'kms-key', exists: false, tags: {} } };
    throw e;
  }
  if (!meta) throw new Error('DescribeKey returned no KeyMetadata');
  // AWS managed keys cannot carry tags, and are never acted on.
  const tagList =
    meta.KeyManager === 'CUSTOMER'
      ? await collectPages<KmsTag>(async (marker) => {
          const out = await s.api.send(s.kms, new ListResourceTagsCommand({ KeyId: o.resourceId, Limit: 50, Marker: marker }));
          return { items: out.Tags, next: out.Truncated ? out.NextMarker : undefined };
        })
      : [];
  const tags = Object.fromEntries(tagList.filter((t) => t.TagKey).map((t) => [t.TagKey!, t.TagValue ?? '']));
  const result = await ruleResult(s, o.resourceType, o.resourceId, o.ruleName);
  const mrk = meta.MultiRegionConfiguration;
  const facts: KeyFacts = {
    kind: 'kms-key',
    exists: true,
    keyManager: meta.KeyManager,
    keyState: meta.KeyState,
    tags,
    ...(result ? { ruleResult: result } : {}),
    ...(meta.DeletionDate ? { deletionDate: meta.DeletionDate } : {}),
    ...(meta.MultiRegion && mrk?.MultiRegionKeyType ? { multiRegionKeyType: mrk.MultiRegionKeyType as 'PRIMARY' | 'REPLICA', replicaCount: mrk.ReplicaKeys?.length ?? 0 } : {}),
    ...(meta.CustomKeyStoreId ? { customKeyStoreId: meta.CustomKeyStoreId } : {}),
    ...(await evidenceFor(s, 'kms-key', [meta.Arn ?? o.resourceId, meta.KeyId ?? o.resourceId], tags, o)),
  };
  return { facts, arn: meta.Arn };
}

interface PolicyDocument {
  Version?: string;
  Statement?: unknown;
}

/** The quarantine's statement: nobody may read the value while it stands (BatchGetSecretValue needs GetSecretValue too). */
export const QUARANTINE_STATEMENT = {
  Sid: QUARANTINE_SID,
  Effect: 'Deny',
  Principal: '*',
  Action: 'secretsmanager:GetSecretValue',
  Resource: '*',
} as const;

function statementsOf(policy: string | undefined): Record<string, unknown>[] {
  if (!policy) return [];
  const doc = JSON.parse(policy) as PolicyDocument;
  const st = doc.Statement;
  return Array.isArray(st) ? (st as Record<string, unknown>[]) : st && typeof st === 'object' ? [st as Record<string, unknown>] : [];
}

/** True when the policy holds the quarantine's statement as the path wrote it. */
export function hasQuarantineStatement(policy: string | undefined): boolean {
  try {
    return statementsOf(policy).some((st) => st.Sid === QUARANTINE_SID && st.Effect === 'Deny' && JSON.stringify(st.Action).includes('secretsmanager:GetSecretValue') && st.Principal === '*');
  } catch {
    return false;
  }
}

/** The policy with the quarantine's statement added (any earlier one of the same Sid replaced); every other statement kept. */
export function withQuarantineStatement(policy: string | undefined): string {
  const doc: PolicyDocument = policy ? (JSON.parse(policy) as PolicyDocument) : {};
  const others = statementsOf(policy).filter((st) => st.Sid !== QUARANTINE_SID);
  return JSON.stringify({ ...doc, Version: doc.Version ?? '2012-10-17', Statement: [...others, QUARANTINE_STATEMENT] });
}

export async function gatherSecret(s: Services, o: GatherOptions): Promise<Gathered> {
  let described;
  try {
    described = await s.api.send(s.secrets, new DescribeSecretCommand({ SecretId: o.resourceId }));
  } catch (e) {
    if (notFound(e)) return { facts: { kind: 'secret', exists: false, tags: {}, lastAccessedDate: null, quarantineStatementPresent: false } };
    throw e;
  }
  const policy = (await s.api.send(s.secrets, new GetResourcePolicyCommand({ SecretId: o.resourceId }))).ResourcePolicy as string | undefined;
  const tags = Object.fromEntries((described.Tags ?? []).filter((t: { Key?: string }) => t.Key).map((t: { Key: string; Value?: string }) => [t.Key, t.Value ?? '']));
  const result = await ruleResult(s, o.resourceType, o.resourceId, o.ruleName);
  const facts: SecretFacts = {
    kind: 'secret',
    exists: true,
    tags,
    lastAccessedDate: described.LastAccessedDate ?? null,
    quarantineStatementPresent: hasQuarantineStatement(policy),
    ...(described.DeletedDate ? { deletedDate: described.DeletedDate } : {}),
    ...(result ? { ruleResult: result } : {}),
    ...(await evidenceFor(s, 'secret', [described.ARN ?? o.resourceId, described.Name ?? o.resourceId], tags, o)),
  };
  return { facts, arn: described.ARN };
}

export function gather(s: Services, o: GatherOptions): Promise<Gathered> {
  return o.resourceType === 'AWS::KMS::Key' ? gatherKey(s, o) : gatherSecret(s, o);
}

export interface ActOptions {
  readonly resourceType: ResourceType;
  readonly resourceId: string;
  readonly step: StepName;
  readonly approvedBy: readonly string[];
  readonly executionId: string;
  /** The rule's annotation the step was approved on (quarantine). */
  readonly reason: string;
  readonly facts: ResourceFacts;
  readonly now: Date;
  readonly kmsPendingWindowDays: number;
  readonly secretRecoveryWindowDays: number;
}

/** What the step did, in words and in the service's own answer. */
export interface ActResult {
  readonly did: string;
  readonly deletionDate?: string;
}

function pathTags(o: ActOptions): Record<string, string> {
  const approvedBy = tagValue(o.approvedBy.join(' '));
  if (o.step === 'quarantine') {
    const base: Record<string, string> = {
      [TAGS.quarantinedAt]: o.now.toISOString(),
      [TAGS.quarantineReason]: tagValue(o.reason) || 'reported unused',
      [TAGS.quarantineApprovedBy]: approvedBy,
      [TAGS.quarantineExecution]: tagValue(o.executionId),
    };
    if (o.facts.kind === 'secret') base[TAGS.lastAccessedAtQuarantine] = o.facts.lastAccessedDate ? isoDate(o.facts.lastAccessedDate) : 'never';
    return base;
  }
  return { [TAGS.retiredAt]: o.now.toISOString(), [TAGS.retireApprovedBy]: approvedBy, [TAGS.retireExecution]: tagValue(o.executionId) };
}

export async function act(s: Services, o: ActOptions): Promise<ActResult> {
  const tags = pathTags(o);
  if (o.resourceType === 'AWS::KMS::Key') {
    await s.api.send(s.kms, new TagResourceCommand({ KeyId: o.resourceId, Tags: Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) }));
    if (o.step === 'quarantine') {
      try {
        await s.api.send(s.kms, new DisableKeyCommand({ KeyId: o.resourceId }));
      } catch (e) {
        throw new Error(`The quarantine tags were written but DisableKey failed (${errorName(e)}: ${e instanceof Error ? e.message : String(e)}); the key is still enabled, so the path stops until the ${TAGS.quarantinedAt} tag is removed.`);
      }
      return { did: 'DisableKey: the key is disabled; EnableKey undoes it' };
    }
    const out = await s.api.send(s.kms, new ScheduleKeyDeletionCommand({ KeyId: o.resourceId, PendingWindowInDays: o.kmsPendingWindowDays }));
    const when = out.DeletionDate instanceof Date ? out.DeletionDate.toISOString() : undefined;
    return { did: `ScheduleKeyDeletion with a ${o.kmsPendingWindowDays}-day waiting period; CancelKeyDeletion undoes it until then`, ...(when ? { deletionDate: when } : {}) };
  }
  if (o.step === 'quarantine') {
    const current = (await s.api.send(s.secrets, new GetResourcePolicyCommand({ SecretId: o.resourceId }))).ResourcePolicy as string | undefined;
    // BlockPublicPolicy: the put fails rather than store a policy that grants public access.
    await s.api.send(s.secrets, new PutResourcePolicyCommand({ SecretId: o.resourceId, ResourcePolicy: withQuarantineStatement(current), BlockPublicPolicy: true }));
    await s.api.send(s.secrets, new TagSecretCommand({ SecretId: o.resourceId, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
    return { did: `PutResourcePolicy: statement ${QUARANTINE_SID} denies secretsmanager:GetSecretValue to every principal; removing that statement undoes it` };
  }
  await s.api.send(s.secrets, new TagSecretCommand({ SecretId: o.resourceId, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }));
  const out = await s.api.send(s.secrets, new DeleteSecretCommand({ SecretId: o.resourceId, RecoveryWindowInDays: o.secretRecoveryWindowDays }));
  const when = out.DeletionDate instanceof Date ? out.DeletionDate.toISOString() : undefined;
  return { did: `DeleteSecret with a ${o.secretRecoveryWindowDays}-day recovery window; RestoreSecret undoes it until then`, ...(when ? { deletionDate: when } : {}) };
}
