import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { dynamo, s3 } from '../../shared/aws/clients.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { dynamoPortalUploads } from '../../shared/aws/portal-uploads.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { secrets, secretText } from '../../shared/aws/secrets.js';
import { dynamoSentNotices } from '../../shared/aws/sent-notices.js';
import { ses, sesChannel } from '../../shared/aws/ses.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig } from '../../shared/config.js';
import { lazily } from '../../shared/lazily.js';
import { logger } from '../../shared/observability/logger.js';
import { contactsOfJson } from '../../shared/notify/contacts.js';
import { makeDelivery } from '../../shared/notify/deliver.js';
import { noticeBatchHandler } from '../../shared/notify/notice-batch.js';
import { makeNotifier } from '../../shared/notify/notify.js';
import { webhookChannel } from '../../shared/notify/webhook.js';
import { systemClock } from '../../shared/ports.js';

const config = readConfig([
  'observationsTable',
  'snapshotBucket',
  'sentNoticesTable',
  'senderAddress',
  'configurationSet',
  'contactsSecret',
  'portalUrl',
  'dueDay',
]);
const observations = dynamoObservationRepository(dynamo, config.observationsTable);

/** A robot answers in well under a second; one that does not within this is tried again. */
const WEBHOOK_TIMEOUT_MS = 5000;

// The contacts are read once, at the first message: a wrong document fails there, naming the entry.
const notifier = lazily(async () =>
  makeNotifier({
    catalog,
    objects: s3ObjectStore(s3),
    reviews: observations,
    portalUploads: dynamoPortalUploads(dynamo, config.observationsTable),
    contacts: contactsOfJson(await secretText(secrets, config.contactsSecret), catalog.departments.map((d) => d.id)),
    deliver: makeDelivery({
      channels: { email: sesChannel(ses, { from: config.senderAddress, configurationSet: config.configurationSet }), webhook: webhookChannel({ timeoutMs: WEBHOOK_TIMEOUT_MS }) },
      sentNotices: dynamoSentNotices(dynamo, config.sentNoticesTable),
      clock: systemClock,
      logger,
    }),
    portalUrl: config.portalUrl,
    snapshotBucket: config.snapshotBucket,
    dueDay: config.dueDay,
    logger,
  }),
);

/** The notice queue → here: each request told once; a notice not sent is redelivered, then dead-lettered. */
export const handler = middy(noticeBatchHandler(notifier, logger)).use(injectLambdaContext(logger, { resetKeys: true }));
