import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The AWS clients, created once per process (at a Lambda's cold start) and shared.
 * Endpoints come from the SDK's own AWS_ENDPOINT_URL_* variables, which is how the
 * local run points the same code at s3rver and dynalite.
 */

export const s3 = new S3Client({
  // The local S3 stand-in serves path-style URLs only; real S3 is reached virtual-hosted.
  forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
});

/** The plain client, for libraries that marshal their own items (Powertools idempotency). */
export const dynamoClient = new DynamoDBClient({});

export const dynamo = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});
