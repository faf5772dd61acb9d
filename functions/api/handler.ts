import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { s3BucketDoor } from '../../shared/aws/bucket-door.js';
import { dynamo, s3 } from '../../shared/aws/clients.js';
import { cognitoIdTokens } from '../../shared/aws/id-tokens.js';
import { sqs, sqsNoticeQueue } from '../../shared/aws/notice-queue.js';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { dynamoPortalUploads } from '../../shared/aws/portal-uploads.js';
import { s3ObjectStore } from '../../shared/aws/s3-object-store.js';
import { catalog } from '../../shared/catalog/catalog.js';
import { readConfig } from '../../shared/config.js';
import { lazily } from '../../shared/lazily.js';
import { logger } from '../../shared/observability/logger.js';
import { makePortalApi } from '../../shared/portal/api.js';
import { apiRequestOf, httpResultOf } from '../../shared/portal/api-gateway.js';
import { systemClock } from '../../shared/ports.js';
import { templateFigures } from '../../shared/workbook/template-figures.js';

const config = readConfig(['observationsTable', 'uploadBucket', 'snapshotBucket', 'dueDay', 'userPoolId', 'userPoolClientId', 'userPoolJwks', 'maxUploadBytes', 'noticeQueueUrl']);
const observations = dynamoObservationRepository(dynamo, config.observationsTable);
// The template writer (exceljs: most of the bundle) is a chunk of its own, read at the first template asked for.
const templates = lazily(() => import('../../shared/workbook/template.js'));
const returnedCopies = lazily(() => import('../../shared/review/returned-copy.js'));
const objects = s3ObjectStore(s3);

const api = makePortalApi({
  catalog,
  // API Gateway's authorizer has checked the token already; the function checks it again, and reads the roles from it.
  tokens: cognitoIdTokens({ userPoolId: config.userPoolId, clientId: config.userPoolClientId, jwks: config.userPoolJwks }),
  observations,
  reviews: observations,
  uploads: dynamoPortalUploads(dynamo, config.observationsTable),
  objects,
  buckets: s3BucketDoor(s3),
  uploadBucket: config.uploadBucket,
  snapshotBucket: config.snapshotBucket,
  clock: systemClock,
  logger,
  dueDay: config.dueDay,
  maxUploadBytes: config.maxUploadBytes,
  template: async (department, period, previous) => {
    const { buildTemplate, templateFileName } = await templates();
    return { bytes: await buildTemplate(catalog, department, period, { previous }), fileName: templateFileName(department, period) };
  },
  templateFigures: (department, period) => templateFigures(catalog, observations, department, period),
  markReturned: async (record) => (await returnedCopies()).markReturnedCopy({ objects, logger }, record),
  notices: sqsNoticeQueue(sqs, config.noticeQueueUrl),
});

/** HTTP API (payload 2.0) → the portal's API, one route per request. */
export const handler = middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => httpResultOf(await api(apiRequestOf(event)))).use(
  injectLambdaContext(logger, { resetKeys: true }),
);
