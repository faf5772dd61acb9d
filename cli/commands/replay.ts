import { ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CliArgs } from '../main.js';
import { requireValue, UsageError } from '../usage.js';

/** The ARN of a queue; the dead-letter queue's is the stack output IngestDeadLetterQueueArn. */
const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+$/;

export interface ReplayProgress {
  status: string;
  moved: number;
  toMove: number | undefined;
  failureReason?: string;
}

/**
 * Moves every message of a dead-letter queue back to the queue it came from (SQS remembers it) and
 * waits until the move ends. Replaying is safe: each upload is imported at most once per object version.
 */
export async function replayDeadLetters(
  sqs: Pick<SQSClient, 'send'>,
  deadLetterQueueArn: string,
  options: { pollMs?: number; onProgress?: (progress: ReplayProgress) => void } = {},
): Promise<ReplayProgress> {
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetterQueueArn }));
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueueArn, MaxResults: 1 }));
    const task = Results.find((t) => t.TaskHandle === TaskHandle) ?? Results[0];
    const progress: ReplayProgress = {
      status: task?.Status ?? 'UNKNOWN',
      moved: task?.ApproximateNumberOfMessagesMoved ?? 0,
      toMove: task?.ApproximateNumberOfMessagesToMove,
      ...(task?.FailureReason ? { failureReason: task.FailureReason } : {}),
    };
    options.onProgress?.(progress);
    if (progress.status !== 'RUNNING') return progress;
    await sleep(options.pollMs ?? 2_000);
  }
}

/** `replay DEAD_LETTER_QUEUE_ARN`: against AWS, with the caller's credentials and region. */
export async function replayCommand({ positionals }: CliArgs): Promise<number> {
  const arn = requireValue(positionals[1], 'DEAD_LETTER_QUEUE_ARN');
  if (!QUEUE_ARN.test(arn)) throw new UsageError(`${arn} is not an SQS queue ARN`);
  const sqs = new SQSClient({ region: arn.split(':')[3] });
  try {
    const result = await replayDeadLetters(sqs, arn, {
      onProgress: ({ status, moved, toMove }) => console.log(`${status.padEnd(10)} moved ${moved}${toMove === undefined ? '' : ` of ${toMove}`}`),
    });
    if (result.status === 'COMPLETED') return 0;
    console.error(`replay ended ${result.status}${result.failureReason ? `: ${result.failureReason}` : ''}`);
    return 1;
  } finally {
    sqs.destroy();
  }
}
