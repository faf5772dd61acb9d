import type { Construct } from 'constructs';
import { ENV } from '../shared/config.js';
import { SNAPSHOTS_PREFIX } from '../shared/s3-keys.js';
import { PipelineFunction, PipelineSchedule, type SecureBucket, type SecureQueue, type SecureTable } from './secure-defaults.js';
import { StackPart } from './stack-part.js';

export interface DeadlineWatchProps {
  /** Read only: the check looks at the month's submission items. */
  readonly observationsTable: SecureTable;
  /** Listed only: whether last month's manifest is there. */
  readonly snapshotBucket: SecureBucket;
  readonly metricsNamespace: string;
  /** Day of the following month by which a month's workbooks are due. */
  readonly dueDay: number;
  /** Asynchronous invocations that failed all of Lambda's retries. */
  readonly deadLetterQueue: SecureQueue;
  /** Scheduled events that could not be delivered. */
  readonly scheduleDeadLetterQueue: SecureQueue;
  /** @default 'department-metrics-deadlines' */
  readonly serviceName?: string;
  /** The hour of the day the check runs, district time. @default 9 */
  readonly hour?: number;
}

/**
 * A daily check that last month's snapshot exists from the day after its scheduled run and that every department has reported
 * by the due day. It emits both metrics every run, so the alarms on them can tell a silent day.
 */
export class DeadlineWatch extends StackPart {
  readonly function: PipelineFunction;
  readonly schedule: PipelineSchedule;

  constructor(scope: Construct, id: string, props: DeadlineWatchProps) {
    super(scope, id);
    this.function = new PipelineFunction(this, 'Deadlines', {
      entry: 'functions/deadlines/handler.ts',
      description: "Checks daily that last month's snapshot exists and every department has reported by the due day",
      serviceName: props.serviceName ?? 'department-metrics-deadlines',
      metricsNamespace: props.metricsNamespace,
      deadLetterQueue: props.deadLetterQueue,
      settings: { [ENV.dueDay]: String(props.dueDay) },
    });
    this.function.useTable(props.observationsTable, { access: 'read', envVar: ENV.observationsTable });
    // The manifest's presence is asked by listing its key (s3ObjectListed), which needs no object read: a HEAD of a
    // missing key is answered 403, not 404, to a role without s3:ListBucket.
    this.function.useBucket(props.snapshotBucket, { list: SNAPSHOTS_PREFIX, envVar: ENV.snapshotBucket });

    const hour = String(props.hour ?? 9);
    this.schedule = new PipelineSchedule(this, 'DailyDeadlineCheck', {
      target: this.function,
      description: `Daily check of the snapshot and reporting deadlines, ${hour.padStart(2, '0')}:00`,
      cron: { minute: '0', hour },
      deadLetterQueue: props.scheduleDeadLetterQueue,
    });
  }
}
