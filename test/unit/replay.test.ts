import { ListMessageMoveTasksCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { replayDeadLetters, type ReplayProgress } from '../../cli/commands/replay.js';

const sqs = mockClient(SQSClient);
const DLQ = 'arn:aws:sqs:ap-east-1:123456789012:DepartmentMetrics-prod-IngestDeadLetterQueue';

beforeEach(() => sqs.reset());

describe('replaying the dead-letter queue', () => {
  it('moves the messages back to their source queue and follows the task until it completes', async () => {
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    sqs
      .on(ListMessageMoveTasksCommand)
      .resolvesOnce({ Results: [{ TaskHandle: 'task-1', Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 3 }] })
      .resolves({ Results: [{ TaskHandle: 'task-1', Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 }] });
    const seen: ReplayProgress[] = [];

    const result = await replayDeadLetters(new SQSClient({ region: 'ap-east-1' }), DLQ, { pollMs: 0, onProgress: (p) => seen.push(p) });

    // No destination: SQS sends each message back to the queue it was dead-lettered from.
    expect(sqs.commandCalls(StartMessageMoveTaskCommand).map((c) => c.args[0].input)).toEqual([{ SourceArn: DLQ }]);
    expect(seen).toEqual([
      { status: 'RUNNING', moved: 1, toMove: 3 },
      { status: 'COMPLETED', moved: 3, toMove: 3 },
    ]);
    expect(result).toEqual({ status: 'COMPLETED', moved: 3, toMove: 3 });
  });

  it('stops with the reason when the move fails', async () => {
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-2' });
    sqs.on(ListMessageMoveTasksCommand).resolves({
      Results: [{ TaskHandle: 'task-2', Status: 'FAILED', ApproximateNumberOfMessagesMoved: 0, FailureReason: 'AccessDenied' }],
    });
    expect(await replayDeadLetters(new SQSClient({ region: 'ap-east-1' }), DLQ, { pollMs: 0 })).toEqual({
      status: 'FAILED',
      moved: 0,
      toMove: undefined,
      failureReason: 'AccessDenied',
    });
  });
});
