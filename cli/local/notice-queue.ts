import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localQueue, type LocalQueue, type SqsHandler } from './queue.js';

/**
 * The notice queue of a local run: an endpoint that answers the SQS client's SendMessage (the JSON protocol) as SQS
 * does, so that the functions' own adapter puts their requests on it, and hands each message to the notifier through
 * a local queue, with its receives, retries and dead letters. The sender is answered at once, as SQS answers it.
 */
export interface LocalNoticeQueue {
  /** NOTICE_QUEUE_URL and the SQS endpoint, for the functions. */
  env: Record<string, string>;
  queue: LocalQueue;
  /** Resolves when every message received so far has been handled or dead-lettered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const QUEUE_NAME = 'department-metrics-notices';

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startLocalNoticeQueue(handler: SqsHandler): Promise<LocalNoticeQueue> {
  const queue = localQueue(handler, { sender: 'notice-queue', queue: QUEUE_NAME });
  const pending = new Set<Promise<unknown>>();
  const server = createServer((request, response) => {
    void bodyOf(request).then((text) => {
      const action = String(request.headers['x-amz-target'] ?? '');
      const input = JSON.parse(text || '{}') as { MessageBody?: unknown };
      if (action !== 'AmazonSQS.SendMessage' || typeof input.MessageBody !== 'string') {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'InvalidAction', message: `the local notice queue takes SendMessage only, not ${action}` }));
        return;
      }
      const delivery = queue.send(input.MessageBody).finally(() => pending.delete(delivery));
      pending.add(delivery);
      const md5 = createHash('md5').update(input.MessageBody).digest('hex');
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ MessageId: randomUUID(), MD5OfMessageBody: md5 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: { AWS_ENDPOINT_URL_SQS: endpoint, NOTICE_QUEUE_URL: `${endpoint}/000000000000/${QUEUE_NAME}` },
    queue,
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
