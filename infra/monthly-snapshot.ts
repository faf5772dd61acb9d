import { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { MONTHLY_SNAPSHOT_RUN } from '../shared/calendar.js';
import { ENV } from '../shared/config.js';
import { LATEST_PREFIX, SNAPSHOTS_PREFIX } from '../shared/s3-keys.js';
import { allowObjects, PipelineFunction, PipelineSchedule, SecureQueue, type SecureBucket, type SecureTable } from './secure-defaults.js';
import { StackPart } from './stack-part.js';

export interface MonthlySnapshotProps {
  /** Read, and the month's items put back locked: a snapshot never changes a figure. */
  readonly observationsTable: SecureTable;
  /** Where the month's files go, under `snapshots/`, and the latest month's copy, under `latest/`. */
  readonly snapshotBucket: SecureBucket;
  /** Encrypts the dead-letter queues. */
  readonly messagesKey: kms.IKey;
  readonly metricsNamespace: string;
  /** Day of the following month by which a month's workbooks are on time. */
  readonly dueDay: number;
  /** @default 'department-metrics-snapshot' */
  readonly serviceName?: string;
  /** @default 5 minutes */
  readonly timeout?: Duration;
}

/**
 * The snapshot function, run by the scheduler for the month just ended (MONTHLY_SNAPSHOT_RUN, district
 * time) and on demand. Its two dead-letter queues, for invocations Lambda gave up on and for events the
 * scheduler could not deliver, serve every scheduled function of the stack.
 */
export class MonthlySnapshot extends StackPart {
  readonly function: PipelineFunction;
  /** Asynchronous invocations that failed all of Lambda's retries. */
  readonly deadLetterQueue: SecureQueue;
  /** Scheduled events that could not be delivered. */
  readonly scheduleDeadLetterQueue: SecureQueue;
  readonly schedule: PipelineSchedule;

  constructor(scope: Construct, id: string, props: MonthlySnapshotProps) {
    super(scope, id);
    this.deadLetterQueue = new SecureQueue(this, 'SnapshotDeadLetterQueue', { encryptionKey: props.messagesKey });
    this.function = new PipelineFunction(this, 'Snapshot', {
      entry: 'functions/snapshot/handler.ts',
      description: 'Writes the monthly consolidated progress snapshot',
      serviceName: props.serviceName ?? 'department-metrics-snapshot',
      metricsNamespace: props.metricsNamespace,
      timeout: props.timeout ?? Duration.minutes(5),
      deadLetterQueue: this.deadLetterQueue,
      settings: { [ENV.dueDay]: String(props.dueDay) },
    });
    // Publishing locks the month: one conditional PutItem per department, nothing else written.
    this.function.useTable(props.observationsTable, { access: 'readPut', envVar: ENV.observationsTable });
    this.function.useBucket(props.snapshotBucket, { write: SNAPSHOTS_PREFIX, list: SNAPSHOTS_PREFIX, envVar: ENV.snapshotBucket });
    // A published month's manifest is found by listing snapshots/ and read to answer `already published`: the current
    // version only, so no GetObjectVersion.
    allowObjects(this.function.role, props.snapshotBucket, SNAPSHOTS_PREFIX, ['s3:GetObject']);
    this.function.useBucket(props.snapshotBucket, { write: LATEST_PREFIX });

    this.scheduleDeadLetterQueue = new SecureQueue(this, 'ScheduleDeadLetterQueue', { encryptionKey: props.messagesKey });
    const { day, hour } = MONTHLY_SNAPSHOT_RUN;
    this.schedule = new PipelineSchedule(this, 'MonthlySnapshot', {
      target: this.function,
      description: `Monthly progress snapshot, ${String(hour).padStart(2, '0')}:00 on day ${day} of the month`,
      cron: { minute: '0', hour: String(hour), day: String(day) },
      deadLetterQueue: this.scheduleDeadLetterQueue,
    });
  }
}
