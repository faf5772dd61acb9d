import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DELIVERY } from '../../shared/config.js';

/** A function that takes SQS batches and answers with the messages to deliver again, as the ingest function does. */
export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface DeadLetter {
  body: string;
  receiveCount: number;
  /** Why the last receive failed. */
  error: unknown;
}

export interface LocalQueue {
  /**
   * Delivers one message the way an SQS event source mapping does: received again while the handler
   * lists it as failed (or throws), at most DELIVERY.maxReceiveCount times, then dead-lettered.
   * Resolves true when it was handled, false when it went to the dead-letter list.
   */
  send(body: string): Promise<boolean>;
  /** Messages that failed every receive, oldest first, as the dead-letter queue holds them. */
  readonly deadLetters: DeadLetter[];
  /** Sends the dead letters again, the way StartMessageMoveTask moves them back; returns how many were handled. */
  redrive(): Promise<number>;
}

/** Who sends a queue's messages and its name, as its records say. */
interface QueueNames {
  sender: string;
  queue: string;
}

const INGEST_QUEUE: QueueNames = { sender: 's3.amazonaws.com', queue: 'department-metrics-ingest' };

function sqsRecord(messageId: string, body: string, receiveCount: number, names: QueueNames): SQSRecord {
  return {
    messageId,
    receiptHandle: `${messageId}#${receiveCount}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: names.sender,
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:ap-east-1:000000000000:${names.queue}`,
    awsRegion: 'ap-east-1',
  };
}

/**
 * How long a failed message stays invisible before it is received again: the stack's visibility
 * timeout, scaled down to keep a local run quick but long enough for a concurrent duplicate to finish.
 */
const VISIBILITY_TIMEOUT_MS = 500;

/** Wraps the handler in the receive, retry and dead-letter behaviour of the stack's queues: the ingest queue unless named. */
export function localQueue(handler: SqsHandler, names: QueueNames = INGEST_QUEUE): LocalQueue {
  const deadLetters: DeadLetter[] = [];

  async function send(body: string): Promise<boolean> {
    const messageId = randomUUID();
    let error: unknown;
    for (let receiveCount = 1; receiveCount <= DELIVERY.maxReceiveCount; receiveCount++) {
      if (receiveCount > 1) await sleep(VISIBILITY_TIMEOUT_MS);
      try {
        const response = await handler({ Records: [sqsRecord(messageId, body, receiveCount, names)] });
        if (!response?.batchItemFailures.some((f) => f.itemIdentifier === messageId)) return true;
        error = new Error('the handler reported the message as failed');
      } catch (thrown) {
        // A whole batch failing makes the handler throw; the message is received again all the same.
        error = thrown;
      }
    }
    deadLetters.push({ body, receiveCount: DELIVERY.maxReceiveCount, error });
    return false;
  }

  return {
    send,
    deadLetters,
    async redrive() {
      const letters = deadLetters.splice(0);
      const handled = await Promise.all(letters.map((letter) => send(letter.body)));
      return handled.filter(Boolean).length;
    },
  };
}
