import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

export interface KeyMaterialAlarmsProps {
  /** KMS keys with imported key material, in this stack's account and region. */
  readonly keyIds: readonly string[];
  readonly daysBeforeExpiry: number;
  readonly namePrefix: string;
  readonly action: cloudwatch.IAlarmAction;
}

const SECONDS_PER_DAY = 86_400;

/**
 * Warns before imported key material expires. AWS/KMS publishes SecondsUntilKeyMaterialExpiration
 * only in the key's own account and region, so these alarms cover the keys of the alerting
 * account; elsewhere the forwarded "KMS Imported Key Material Expiration" event reports the expiry.
 */
export class KeyMaterialAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: KeyMaterialAlarmsProps) {
    super(scope, id);
    for (const keyId of props.keyIds) {
      const metric = new cloudwatch.Metric({
        namespace: 'AWS/KMS',
        metricName: 'SecondsUntilKeyMaterialExpiration',
        dimensionsMap: { KeyId: keyId },
        // The nearest expiry seen in the period is the one that matters.
        statistic: cloudwatch.Stats.MINIMUM,
        period: Duration.hours(1),
      });
      const alarm = new cloudwatch.Alarm(this, `Key${keyId.replace(/-/g, '')}`, {
        alarmName: `${props.namePrefix}-key-material-expiry-${keyId}`,
        alarmDescription:
          `[HIGH] The imported key material of KMS key ${keyId} expires in less than ${props.daysBeforeExpiry} days. ` +
          'When it expires, KMS deletes the material and the key becomes unusable until the same material is imported again. ' +
          'What to do: re-import the key material (ImportKeyMaterial) with a later ValidTo, or with KEY_MATERIAL_DOES_NOT_EXPIRE.',
        metric,
        threshold: props.daysBeforeExpiry * SECONDS_PER_DAY,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        // No data: the key has no expiring material (or no longer exists), which is nothing to warn about.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(props.action);
      this.alarms.push(alarm);
    }
  }
}
