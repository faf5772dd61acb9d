import { CfnParameter, Duration, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DELIVERY, ENV } from '../shared/config.js';
import { REPORTS_PREFIX, SNAPSHOTS_PREFIX } from '../shared/s3-keys.js';
import { allowKeyVia, allowServiceToUseKey, PipelineFunction, PipelineSchedule, SecureQueue, SecureTable, type SecureBucket } from './secure-defaults.js';
import { StackPart, uniqueIdWithoutParts } from './stack-part.js';

export interface NotificationsProps {
  /** Read only: the months a notice is about, and which department has not submitted. */
  readonly observationsTable: SecureTable;
  /** Read under `reports/`: the import report a receipt tells, and its annotated copy's link. */
  readonly uploadBucket: SecureBucket;
  /** Read under `snapshots/`: the published month's headline. */
  readonly snapshotBucket: SecureBucket;
  /** Encrypts the notice queues and the bounce topic. */
  readonly messagesKey: kms.IKey;
  /** Encrypts the record of what was sent and the contacts document. */
  readonly dataKey: kms.IKey;
  readonly metricsNamespace: string;
  readonly dueDay: number;
  /** The portal's address, for the links in notices. */
  readonly portalUrl: string;
  /** Asynchronous invocations of the reminder job that failed all of Lambda's retries. */
  readonly deadLetterQueue: SecureQueue;
  /** Scheduled events that could not be delivered. */
  readonly scheduleDeadLetterQueue: SecureQueue;
  /** The default of the `NoticeSenderAddress` parameter. @default none: deploying asks for it */
  readonly senderAddress?: string;
  /** Working days before the due day on which reminders go out. @default 3 */
  readonly reminderDays?: number;
  /** The hour of the reminder and escalation run, district time. @default 9 */
  readonly hour?: number;
}

/**
 * Receipts, review notices, reminders, escalations and the monthly report, by e-mail through SES and by work-chat
 * robot: the notice queue the other functions put requests on (shared/notify/notice.ts), the notifier that sends each
 * once (its record of what was sent in a table of its own), its dead-letter queue, the daily reminder job, the SES
 * identity and the configuration set whose bounces and complaints are suppressed and published to a topic.
 */
export class Notifications extends StackPart {
  readonly senderAddress: CfnParameter;
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  /** SES publishes every bounce and complaint here; the alarms watch it. */
  readonly feedbackTopic: sns.Topic;
  readonly queue: SecureQueue;
  readonly deadLetterQueue: SecureQueue;
  readonly sentNotices: SecureTable;
  /** The contacts document: who is told what, per department (shared/notify/contacts.ts). */
  readonly contacts: secretsmanager.Secret;
  readonly notifier: PipelineFunction;
  readonly remind: PipelineFunction;
  readonly schedule: PipelineSchedule;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.senderAddress = new CfnParameter(this, 'NoticeSenderAddress', {
      type: 'String',
      description: 'The address notices are sent from; SES verifies it (a link is e-mailed to it) before the first send',
      allowedPattern: '^[^@\\s]+@[^@\\s]+$',
      default: props.senderAddress,
    });
    const sender = this.senderAddress.valueAsString;
    this.identity = new ses.EmailIdentity(this, 'NoticeSender', { identity: ses.Identity.email(sender) });

    this.feedbackTopic = new sns.Topic(this, 'NoticeFeedbackTopic', { masterKey: props.messagesKey, enforceSSL: true });
    this.configurationSet = new ses.ConfigurationSet(this, 'NoticeConfigurationSet', {
      // An address that bounced or complained is not sent to again (SES's suppression list), and TLS is required.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
    });
    this.configurationSet.addEventDestination('Feedback', {
      destination: ses.EventDestination.snsTopic(this.feedbackTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT, ses.EmailSendingEvent.REJECT],
    });
    const stack = Stack.of(this);
    allowServiceToUseKey(props.messagesKey, 'ses.amazonaws.com', stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }));

    this.sentNotices = new SecureTable(this, 'SentNoticesTable', { partitionKey: 'event', sortKey: 'recipient', encryptionKey: props.dataKey, timeToLiveAttribute: 'expiresAt' });
    this.contacts = new secretsmanager.Secret(this, 'Contacts', {
      description: 'Who is told what, per department: e-mail addresses and work-chat robot webhooks (shared/notify/contacts.ts)',
      encryptionKey: props.dataKey,
      // A document to fill in, not a credential: put the real one with `aws secretsmanager put-secret-value`.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify({ departments: {}, office: [] })),
    });
    Validations.of(this.contacts).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The contacts document is configuration an operator edits, not a credential: nothing could rotate it.',
    });

    const timeout = Duration.seconds(30);
    this.deadLetterQueue = new SecureQueue(this, 'NoticeDeadLetterQueue', { encryptionKey: props.messagesKey });
    this.queue = new SecureQueue(this, 'NoticeQueue', {
      encryptionKey: props.messagesKey,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: DELIVERY.maxReceiveCount },
      // Six times the function timeout, as Lambda advises; a failed send is tried again after it, then dead-lettered.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
    });

    const settings = { [ENV.portalUrl]: props.portalUrl, [ENV.dueDay]: String(props.dueDay) };
    this.notifier = new PipelineFunction(this, 'Notifier', {
      entry: 'functions/notify/handler.ts',
      description: 'Sends each notice once, by e-mail and by work-chat robot',
      serviceName: 'department-metrics-notify',
      metricsNamespace: props.metricsNamespace,
      timeout,
      settings: { ...settings, [ENV.senderAddress]: sender, [ENV.configurationSet]: this.configurationSet.configurationSetName },
    });
    this.notifier.useTable(props.observationsTable, { access: 'read', envVar: ENV.observationsTable });
    this.notifier.useTable(this.sentNotices, { access: 'claims', envVar: ENV.sentNoticesTable });
    this.notifier.useBucket(props.uploadBucket, { read: REPORTS_PREFIX, envVar: ENV.uploadBucket });
    this.notifier.useBucket(props.snapshotBucket, { read: SNAPSHOTS_PREFIX, envVar: ENV.snapshotBucket });
    this.useContacts(this.notifier, props.dataKey);
    // Send only, only from the sender, only through the configuration set that handles bounces and complaints.
    this.notifier.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: this.identity.emailIdentityName }),
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': sender } },
      }),
    );
    this.notifier.function.addEventSourceMapping(`SqsEventSource:${uniqueIdWithoutParts(this.queue)}`, {
      eventSourceArn: this.queue.queueArn,
      batchSize: 10,
      reportBatchItemFailures: true,
    });
    this.queue.grantConsumeMessages(this.notifier.function);

    this.remind = new PipelineFunction(this, 'Remind', {
      entry: 'functions/remind/handler.ts',
      description: 'Reminds the departments that have not submitted before the due day, and escalates after it',
      serviceName: 'department-metrics-remind',
      metricsNamespace: props.metricsNamespace,
      deadLetterQueue: props.deadLetterQueue,
      settings: { ...settings, [ENV.reminderDays]: String(props.reminderDays ?? 3) },
    });
    this.remind.useTable(props.observationsTable, { access: 'read', envVar: ENV.observationsTable });
    this.allowRequests(this.remind);
    const hour = String(props.hour ?? 9);
    this.schedule = new PipelineSchedule(this, 'DailyReminders', {
      target: this.remind,
      description: `Daily reminders and escalations, ${hour.padStart(2, '0')}:00`,
      cron: { minute: '0', hour },
      deadLetterQueue: props.scheduleDeadLetterQueue,
    });
  }

  /** Lets a function request notices: the queue's URL in its environment, and sending to it only, its key through SQS only. */
  allowRequests(fn: PipelineFunction): void {
    fn.function.addEnvironment(ENV.noticeQueueUrl, this.queue.queueUrl);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    allowKeyVia(fn.role, this.queue.encryptionKey, ['kms:GenerateDataKey', 'kms:Decrypt'], { service: 'sqs', context: { name: 'aws:sqs:arn', values: [this.queue.queueArn] } });
  }

  /** Reads the contacts document, its key through Secrets Manager for that secret only (the key's policy is left as it is). */
  private useContacts(fn: PipelineFunction, dataKey: kms.IKey): void {
    fn.function.addEnvironment(ENV.contactsSecret, this.contacts.secretArn);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.contacts.secretArn] }));
    allowKeyVia(fn.role, dataKey, ['kms:Decrypt'], { service: 'secretsmanager', context: { name: 'SecretARN', values: [this.contacts.secretArn] } });
  }
}
