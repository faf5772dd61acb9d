import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { z } from 'zod';
import { dynamo } from '../../shared/aws/clients.js';
import { sqs, sqsNoticeQueue } from '../../shared/aws/notice-queue.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { districtDateAt } from '../../shared/calendar.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig } from '../../shared/config.js';
import { logger } from '../../shared/observability/logger.js';
import { makeReminders } from '../../shared/notify/remind.js';
import { systemClock } from '../../shared/ports.js';
import { DISTRICT_WORKING_DAYS } from '../../shared/working-days.js';

const config = readConfig(['observationsTable', 'noticeQueueUrl', 'dueDay', 'reminderDays']);

/** The schedule sends `{}`: today in the district; an operator (or the CLI) may ask for a day: `{"on":"2026-12-11"}`. */
const remindRequest = z.strictObject({ on: z.iso.date('on must be a date written YYYY-MM-DD').optional() });

// The daily reminder and escalation run (EventBridge Scheduler, district time), on the district's working days (the
// State Council's schedule, shared/working-days.ts), given to the use case as its calendar port.
const remind = makeReminders({
  departments: catalog.departments.map((d) => d.id),
  observations: dynamoObservationRepository(dynamo, config.observationsTable),
  calendar: DISTRICT_WORKING_DAYS,
  queue: sqsNoticeQueue(sqs, config.noticeQueueUrl),
  dueDay: config.dueDay,
  reminderDays: config.reminderDays,
  logger,
});

export const handler = middy(async (event: unknown) => {
  const on = remindRequest.parse(event ?? {}).on ?? districtDateAt(systemClock.now());
  logger.appendKeys({ on });
  const requests = await remind(on);
  return { on, requested: requests.length };
}).use(injectLambdaContext(logger, { resetKeys: true }));
