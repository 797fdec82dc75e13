/**
 * A simulated member account for the retirement path: keys and secrets whose state, tags, policies
 * and deletion change as the step-runner (or their owner) acts, served through SimulatedAws to the
 * real SDK clients, AWS Config's GetComplianceDetailsByResource, CloudTrail's LookupEvents (the
 * shared SimulatedCloudTrail, as an awsJson operation) and Systems Manager's
 * GetAutomationExecution (SimulatedAutomation). Owner actions (EnableKey, a read of a secret) are
 * methods that also record what CloudTrail would. Kept beside the retirement
 * tests because test/support/simulated-kms.ts and simulated-secrets-manager.ts serve immutable
 * inventories to the rules (and are being extended for the inventory at the same time).
 */
import { epochSeconds, SimulatedAws, SimulatedServiceError, simulatedClientConfig, type OperationHandler, type SimulatedAwsOptions } from '../../support/simulated-aws';
import { ACCOUNT, REGION, keyArn } from '../../support/simulated-kms';
import { secretArn } from '../../support/simulated-secrets-manager';
import { SimulatedCloudTrail } from '../../support/simulated-cloudtrail';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ApiCalls } from '../../../lambda/runtime/api-calls';
import { RATES_PER_SECOND } from '../../../lambda/retirement-step';
import type { Services } from '../../../lambda/retirement/resources';
import { SimulatedAutomation } from './simulated-automation';

export { ACCOUNT, REGION, keyArn, secretArn };

export interface Key {
  keyId: string;
  manager: 'AWS' | 'CUSTOMER';
  state: string;
  tags: Record<string, string>;
  deletionDate?: Date;
  multiRegion?: { type: 'PRIMARY' | 'REPLICA'; replicas: number };
  customKeyStoreId?: string;
}

export interface Secret {
  name: string;
  created: Date;
  lastAccessed: Date | null;
  deleted?: Date;
  tags: Record<string, string>;
  policy?: string;
}

export interface RuleResultRecord {
  resourceType: string;
  resourceId: string;
  rule: string;
  compliance: string;
  annotation?: string;
}

const DAY = 86_400_000;
const midnight = (d: Date) => new Date(Math.floor(d.getTime() / DAY) * DAY);

export class SimulatedAccount {
  readonly keys = new Map<string, Key>();
  readonly secrets = new Map<string, Secret>();
  readonly results: RuleResultRecord[] = [];
  readonly trail = new SimulatedCloudTrail();
  readonly automation = new SimulatedAutomation();
  /** Mutating calls in order, e.g. "DisableKey <id>". */
  readonly changes: string[] = [];

  addKey(k: Partial<Key> & { keyId: string }): Key {
    const key: Key = { manager: 'CUSTOMER', state: 'Enabled', tags: {}, ...k };
    this.keys.set(key.keyId, key);
    return key;
  }

  addSecret(s: Partial<Secret> & { name: string }): Secret {
    const secret: Secret = { created: new Date('2025-01-01T00:00:00Z'), lastAccessed: null, tags: {}, ...s };
    this.secrets.set(secretArn(secret.name), secret);
    return secret;
  }

  result(r: RuleResultRecord): void {
    const i = this.results.findIndex((x) => x.resourceId === r.resourceId && x.rule === r.rule);
    if (i >= 0) this.results.splice(i, 1);
    this.results.push(r);
  }

  private key(id: string): Key {
    const bare = id.startsWith('arn:') ? id.slice(id.lastIndexOf('/') + 1) : id;
    const k = this.keys.get(bare);
    if (!k) throw new SimulatedServiceError('NotFoundException', `Key '${keyArn(bare)}' does not exist`);
    return k;
  }

  private secret(id: string): Secret {
    const s = this.secrets.get(id) ?? [...this.secrets.values()].find((x) => x.name === id);
    if (!s) throw new SimulatedServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return s;
  }

  /** The owner enables the key again (and CloudTrail records it). */
  enableKey(id: string, caller = `arn:aws:iam::${ACCOUNT}:role/KeyOwner`): void {
    this.key(id).state = 'Enabled';
    this.trail.record({ eventName: 'EnableKey', eventSource: 'kms.amazonaws.com', time: new Date(), caller, readOnly: false, resources: [keyArn(id)] });
  }

  /** Someone tries to use the key; refused while it is disabled, as KMS does. */
  useKey(id: string, caller: string, eventName = 'Decrypt'): void {
    const k = this.key(id);
    this.trail.record({
      eventName,
      eventSource: 'kms.amazonaws.com',
      time: new Date(),
      caller,
      resources: [keyArn(id)],
      ...(k.state === 'Enabled' ? {} : { errorCode: 'DisabledException', errorMessage: `${keyArn(id)} is disabled.` }),
    });
  }

  /**
   * Someone reads the secret's value: refused by a Deny in its policy, else it counts as a read
   * (LastAccessedDate). `withoutResources`: the record names no resource, as CloudTrail may record a
   * refused call, so LookupEvents by ResourceName cannot find it.
   */
  readSecret(name: string, caller: string, o: { withoutResources?: boolean } = {}): 'read' | 'denied' {
    const s = this.secret(secretArn(name));
    const denied = (s.policy ?? '').includes('"Deny"') && (s.policy ?? '').includes('secretsmanager:GetSecretValue');
    this.trail.record({
      eventName: 'GetSecretValue',
      eventSource: 'secretsmanager.amazonaws.com',
      time: new Date(),
      caller,
      resources: o.withoutResources ? [] : [secretArn(name)],
      requestParameters: { secretId: name },
      ...(denied ? { errorCode: 'AccessDenied', errorMessage: `User: ${caller} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${name} with an explicit deny in a resource-based policy` } : {}),
    });
    if (!denied) s.lastAccessed = midnight(new Date());
    return denied ? 'denied' : 'read';
  }

  kmsOperations(): Record<string, OperationHandler> {
    return {
      DescribeKey: ({ KeyId }) => {
        const k = this.key(KeyId);
        return {
          KeyMetadata: {
            KeyId: k.keyId,
            Arn: keyArn(k.keyId),
            KeyManager: k.manager,
            KeyState: k.state,
            Enabled: k.state === 'Enabled',
            CreationDate: epochSeconds(new Date('2025-01-01T00:00:00Z')),
            MultiRegion: k.multiRegion !== undefined,
            ...(k.multiRegion
              ? {
                  MultiRegionConfiguration: {
                    MultiRegionKeyType: k.multiRegion.type,
                    PrimaryKey: { Arn: keyArn(k.keyId), Region: REGION },
                    ReplicaKeys: Array.from({ length: k.multiRegion.replicas }, (_, i) => ({ Arn: keyArn(k.keyId).replace(REGION, `us-east-${i + 1}`), Region: `us-east-${i + 1}` })),
                  },
                }
              : {}),
            ...(k.customKeyStoreId ? { CustomKeyStoreId: k.customKeyStoreId, Origin: 'AWS_CLOUDHSM' } : { Origin: 'AWS_KMS' }),
            ...(k.deletionDate ? { DeletionDate: epochSeconds(k.deletionDate) } : {}),
          },
        };
      },
      ListResourceTags: ({ KeyId }) => ({ Tags: Object.entries(this.key(KeyId).tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), Truncated: false }),
      TagResource: ({ KeyId, Tags }) => {
        const k = this.key(KeyId);
        if (k.manager !== 'CUSTOMER') throw new SimulatedServiceError('UnsupportedOperationException', 'AWS managed keys cannot be tagged');
        for (const t of Tags) k.tags[t.TagKey] = t.TagValue;
        this.changes.push(`TagResource ${k.keyId} ${Tags.map((t: { TagKey: string }) => t.TagKey).join(',')}`);
        return {};
      },
      DisableKey: ({ KeyId }) => {
        const k = this.key(KeyId);
        if (k.state !== 'Enabled' && k.state !== 'Disabled') throw new SimulatedServiceError('KMSInvalidStateException', `${keyArn(k.keyId)} is ${k.state}`);
        k.state = 'Disabled';
        this.changes.push(`DisableKey ${k.keyId}`);
        return {};
      },
      ScheduleKeyDeletion: ({ KeyId, PendingWindowInDays = 30 }) => {
        const k = this.key(KeyId);
        if (PendingWindowInDays < 7 || PendingWindowInDays > 30) throw new SimulatedServiceError('ValidationException', 'PendingWindowInDays must be between 7 and 30');
        if (k.state !== 'Enabled' && k.state !== 'Disabled') throw new SimulatedServiceError('KMSInvalidStateException', `${keyArn(k.keyId)} is ${k.state}`);
        k.state = 'PendingDeletion';
        k.deletionDate = new Date(Date.now() + PendingWindowInDays * DAY);
        this.changes.push(`ScheduleKeyDeletion ${k.keyId} ${PendingWindowInDays}`);
        return { KeyId: keyArn(k.keyId), DeletionDate: epochSeconds(k.deletionDate), KeyState: 'PendingDeletion', PendingWindowInDays };
      },
    };
  }

  secretsOperations(): Record<string, OperationHandler> {
    return {
      DescribeSecret: ({ SecretId }) => {
        const s = this.secret(SecretId);
        return {
          ARN: secretArn(s.name),
          Name: s.name,
          CreatedDate: epochSeconds(s.created),
          ...(s.lastAccessed ? { LastAccessedDate: epochSeconds(s.lastAccessed) } : {}),
          ...(s.deleted ? { DeletedDate: epochSeconds(s.deleted) } : {}),
          Tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
        };
      },
      GetResourcePolicy: ({ SecretId }) => {
        const s = this.secret(SecretId);
        return { ARN: secretArn(s.name), Name: s.name, ...(s.policy ? { ResourcePolicy: s.policy } : {}) };
      },
      PutResourcePolicy: ({ SecretId, ResourcePolicy, BlockPublicPolicy }) => {
        const s = this.secret(SecretId);
        const doc = JSON.parse(ResourcePolicy);
        const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
        if (BlockPublicPolicy && statements.some((st: any) => st.Effect === 'Allow' && (st.Principal === '*' || st.Principal?.AWS === '*'))) {
          throw new SimulatedServiceError('PublicPolicyException', 'The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.');
        }
        s.policy = ResourcePolicy;
        this.changes.push(`PutResourcePolicy ${s.name}`);
        return { ARN: secretArn(s.name), Name: s.name };
      },
      TagResource: ({ SecretId, Tags }) => {
        const s = this.secret(SecretId);
        for (const t of Tags) {
          if (!/^[\p{L}\p{N} _.:/=+\-@]*$/u.test(t.Value)) throw new SimulatedServiceError('ValidationException', `Tag value ${t.Value} has characters Secrets Manager does not take`);
          s.tags[t.Key] = t.Value;
        }
        this.changes.push(`TagResource ${s.name} ${Tags.map((t: { Key: string }) => t.Key).join(',')}`);
        return {};
      },
      DeleteSecret: ({ SecretId, RecoveryWindowInDays, ForceDeleteWithoutRecovery }) => {
        const s = this.secret(SecretId);
        if (ForceDeleteWithoutRecovery) throw new SimulatedServiceError('InvalidParameterException', 'the step-runner never forces a deletion');
        if (RecoveryWindowInDays < 7 || RecoveryWindowInDays > 30) throw new SimulatedServiceError('InvalidParameterException', 'RecoveryWindowInDays must be between 7 and 30');
        s.deleted = new Date();
        this.changes.push(`DeleteSecret ${s.name} ${RecoveryWindowInDays}`);
        return { ARN: secretArn(s.name), Name: s.name, DeletionDate: epochSeconds(new Date(Date.now() + RecoveryWindowInDays * DAY)) };
      },
      GetSecretValue: () => {
        throw new Error('The step-runner must never read a secret value');
      },
    };
  }

  configOperations(): Record<string, OperationHandler> {
    return {
      GetComplianceDetailsByResource: ({ ResourceType, ResourceId }) => ({
        EvaluationResults: this.results
          .filter((r) => r.resourceType === ResourceType && r.resourceId === ResourceId)
          .map((r) => ({
            EvaluationResultIdentifier: { EvaluationResultQualifier: { ConfigRuleName: r.rule, ResourceType: r.resourceType, ResourceId: r.resourceId } },
            ComplianceType: r.compliance,
            ...(r.annotation ? { Annotation: r.annotation } : {}),
          })),
      }),
    };
  }

  /**
   * The step-runner's services, every SDK client real and routed to this account (one simulator per
   * service: KMS and Secrets Manager both have TagResource). CloudTrail's two requests a second are
   * SimulatedCloudTrail's own (it throttles beyond them), so its SimulatedAws sets no quota.
   */
  services(options: Partial<SimulatedAwsOptions> = {}): { services: Services; sims: Record<'kms' | 'secrets' | 'config' | 'cloudtrail' | 'ssm', SimulatedAws> } {
    const sim = (operations: Record<string, OperationHandler>) => new SimulatedAws({ latencyMs: () => 10, ...options, operations });
    const sims = {
      kms: sim(this.kmsOperations()),
      secrets: sim(this.secretsOperations()),
      config: sim(this.configOperations()),
      cloudtrail: sim(this.trail.operations()),
      ssm: sim(this.automation.operations()),
    };
    const services: Services = {
      kms: new KMSClient(simulatedClientConfig(sims.kms)),
      secrets: new SecretsManagerClient(simulatedClientConfig(sims.secrets)),
      config: new ConfigServiceClient(simulatedClientConfig(sims.config)),
      cloudtrail: new CloudTrailClient(simulatedClientConfig(sims.cloudtrail)),
      ssm: new SSMClient(simulatedClientConfig(sims.ssm)),
      api: new ApiCalls(RATES_PER_SECOND, { callTimeoutMs: 60_000, hardDeadline: () => Number.POSITIVE_INFINITY }),
    };
    return { services, sims };
  }
}
