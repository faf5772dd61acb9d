import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from '../ports.js';
import type { Delivered } from './deliver.js';
import { noticeRequestSchema, type NoticeRequest } from './notice.js';
import { NothingToTellError } from './notify.js';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * The notice queue's batches: each message a request, told once. A message that is no request, or one about
 * nothing the stores hold, would fail the same way on every receive: it is logged and dropped. A notice not sent is
 * returned for redelivery alone (a partial batch response), and after its last receive goes to the dead-letter queue.
 */
export function noticeBatchHandler(notify: () => Promise<(request: NoticeRequest) => Promise<Delivered>>, logger: Logger) {
  const processor = new BatchProcessor(EventType.SQS);

  async function record(message: SQSRecord): Promise<Delivered | null> {
    const parsed = noticeRequestSchema.safeParse(parseJson(message.body));
    if (!parsed.success) {
      logger.error('malformed notice request dropped', { messageId: message.messageId, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      return null;
    }
    try {
      return await (await notify())(parsed.data);
    } catch (error) {
      if (!(error instanceof NothingToTellError)) throw error;
      logger.error('notice request about nothing the stores hold dropped', { messageId: message.messageId, kind: parsed.data.kind, reason: error.message });
      return null;
    }
  }

  return (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processPartialResponse(event, record, processor, { context });
}
