import { ArnFormat, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { METRIC } from '../shared/observability/metrics.js';
import { allowServiceToUseKey, type PipelineFunction, type SecureQueue } from './secure-defaults.js';
import { StackPart } from './stack-part.js';

export interface AlarmsProps {
  /** Encrypts the topic; CloudWatch is allowed to use it to publish. */
  readonly messagesKey: kms.IKey;
  /** The default of the `AlarmEmail` parameter. @default none: deploying asks for it */
  readonly alarmEmail?: string;
  /** The namespace the daily deadline check emits its metrics to. */
  readonly metricsNamespace: string;
  readonly deadLetterQueues: Record<'ingest' | 'snapshot' | 'schedule' | 'notify', SecureQueue>;
  /** Where SES publishes the bounces and complaints of notices. */
  readonly noticeFeedback: sns.ITopic;
  readonly functions: Record<'ingest' | 'snapshot' | 'deadlines' | 'api' | 'notify' | 'remind', PipelineFunction>;
}

/**
 * Everything that needs an operator, e-mailed through an encrypted topic: a message in any dead-letter
 * queue, errors of each function, and the daily deadline check's two findings.
 */
export class Alarms extends StackPart {
  readonly topic: sns.Topic;
  readonly ingestDeadLetters: cloudwatch.Alarm;
  readonly snapshotDeadLetters: cloudwatch.Alarm;
  readonly scheduleDeadLetters: cloudwatch.Alarm;
  /** A notice failed every try: fix the channel (the address, the robot's webhook), then replay the queue. */
  readonly noticeDeadLetters: cloudwatch.Alarm;
  /** A notice bounced, was complained about or rejected: the address is suppressed until someone corrects it. */
  readonly noticeFeedback: cloudwatch.Alarm;
  /** Last month's snapshot not written by the day after its scheduled run, or the daily check not running at all. */
  readonly snapshotMissing: cloudwatch.Alarm;
  readonly lateDepartments: cloudwatch.Alarm;
  /** An upload the ingest function could not check for a fault of its own: the clerk was told so, an operator must look. */
  readonly checksFailed: cloudwatch.Alarm;
  readonly functionErrors: Record<keyof AlarmsProps['functions'], cloudwatch.Alarm>;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const alarmEmail = new CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      description: 'Where alarms are e-mailed; the address must confirm the subscription',
      allowedPattern: '^[^@\\s]+@[^@\\s]+$',
      default: props.alarmEmail,
    });
    this.topic = new sns.Topic(this, 'AlarmTopic', { masterKey: props.messagesKey, enforceSSL: true });
    this.topic.addSubscription(new subscriptions.EmailSubscription(alarmEmail.valueAsString));
    // CloudWatch publishes the alarms, so it must be able to use the topic's key: for this stack's alarms only,
    // whose generated names start with the stack's name (the alarms' own ARNs would make the key depend on them).
    const stack = Stack.of(this);
    allowServiceToUseKey(
      props.messagesKey,
      'cloudwatch.amazonaws.com',
      stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${stack.stackName}-*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );

    const { deadLetterQueues: queues, functions } = props;
    const dailyCheck = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: props.metricsNamespace,
        metricName,
        dimensionsMap: { service: functions.deadlines.serviceName },
        statistic: 'Maximum',
        period: Duration.days(1),
      });
    const { BREACHING, NOT_BREACHING } = cloudwatch.TreatMissingData;

    this.ingestDeadLetters = this.queueAlarm('IngestDeadLettersAlarm', queues.ingest, 'An upload failed every delivery: fix the cause, then replay the ingest dead-letter queue');
    this.snapshotDeadLetters = this.queueAlarm('SnapshotDeadLettersAlarm', queues.snapshot, 'A snapshot or deadline check failed all its retries');
    this.scheduleDeadLetters = this.queueAlarm('ScheduleDeadLettersAlarm', queues.schedule, 'The scheduler could not invoke a function');
    this.noticeDeadLetters = this.queueAlarm('NoticeDeadLettersAlarm', queues.notify, 'A notice failed every try: check the channel in its log lines, then replay the notice dead-letter queue');
    const feedback = new cloudwatch.Metric({
      namespace: 'AWS/SNS',
      metricName: 'NumberOfMessagesPublished',
      dimensionsMap: { TopicName: props.noticeFeedback.topicName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.noticeFeedback = this.alarm('NoticeFeedbackAlarm', feedback, NOT_BREACHING, 'A notice bounced or was complained about: SES suppresses the address; correct it in the contacts document');
    // Emitted every day by the check: a day without it means the check itself did not run.
    this.snapshotMissing = this.alarm('SnapshotMissingAlarm', dailyCheck(METRIC.snapshotMissing), BREACHING, "Last month's snapshot was not written by the day after its scheduled run");
    this.lateDepartments = this.alarm('LateDepartmentsAlarm', dailyCheck(METRIC.lateDepartments), NOT_BREACHING, 'A department has not reported last month by the due day');
    const checksFailed = new cloudwatch.Metric({
      namespace: props.metricsNamespace,
      metricName: METRIC.checksFailed,
      dimensionsMap: { service: functions.ingest.serviceName },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.checksFailed = this.alarm('ChecksFailedAlarm', checksFailed, NOT_BREACHING, 'An upload could not be checked for a fault of the ingest function (file.check_failed): see its error log');
    this.functionErrors = {
      ingest: this.functionErrorsAlarm('IngestErrorsAlarm', functions.ingest, 'A whole batch of uploads failed'),
      snapshot: this.functionErrorsAlarm('SnapshotErrorsAlarm', functions.snapshot, 'The snapshot function failed'),
      deadlines: this.functionErrorsAlarm('DeadlinesErrorsAlarm', functions.deadlines, 'The daily deadline check failed'),
      // The API answers its own faults with a 500 and logs them; this catches what it could not answer (a crash, a timeout).
      api: this.functionErrorsAlarm('ApiErrorsAlarm', functions.api, 'The portal API function failed or timed out'),
      notify: this.functionErrorsAlarm('NotifyErrorsAlarm', functions.notify, 'Notices could not be sent; they are tried again, then dead-lettered'),
      remind: this.functionErrorsAlarm('RemindErrorsAlarm', functions.remind, 'The daily reminder and escalation run failed'),
    };
  }

  /** Fires on the first occurrence: every alarm here means something an operator must look at. */
  private alarm(id: string, metric: cloudwatch.IMetric, treatMissingData: cloudwatch.TreatMissingData, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }

  private queueAlarm(id: string, queue: SecureQueue, description: string): cloudwatch.Alarm {
    const visible = queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    return this.alarm(id, visible, cloudwatch.TreatMissingData.NOT_BREACHING, description);
  }

  private functionErrorsAlarm(id: string, fn: PipelineFunction, description: string): cloudwatch.Alarm {
    const errors = fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' });
    return this.alarm(id, errors, cloudwatch.TreatMissingData.NOT_BREACHING, description);
  }
}
