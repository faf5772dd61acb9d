import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { NoticeQueue } from '../notify/ports.js';

/** The SQS client, created once per process, for the functions that put requests on the notice queue. */
export const sqs = new SQSClient({});

/** Puts each request on the notifier's queue, as it is: the notifier builds the notice from the stores. */
export function sqsNoticeQueue(client: Pick<SQSClient, 'send'>, queueUrl: string): NoticeQueue {
  return {
    async request(request) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(request) }));
    },
  };
}
