import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SentNotices } from '../notify/ports.js';

/** The sent-notices table's key schema and expiry attribute, shared by the stack, the local stores and the adapter. */
export const SENT_NOTICES_TABLE = { partitionKey: 'event', sortKey: 'recipient', timeToLive: 'expiresAt' } as const;

/**
 * A claim older than this was left by a run that crashed between claiming and sending (a send takes seconds, and
 * the notifier's timeout is well under it): another delivery may take it over and send.
 */
export const STALE_CLAIM_MS = 15 * 60 * 1000;

/** Longer than any redelivery, retry or replay of a dead letter: the record may then go. */
const KEEP_SECONDS = 180 * 24 * 60 * 60;

const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException;

/** The record of what was sent, one item per event and recipient, claimed by a conditional put. */
export function dynamoSentNotices(dynamo: Pick<DynamoDBDocumentClient, 'send'>, tableName: string): SentNotices {
  const { partitionKey, sortKey, timeToLive } = SENT_NOTICES_TABLE;
  const key = (event: string, recipient: string) => ({ [partitionKey]: event, [sortKey]: recipient });
  return {
    async claim(event, recipient, now) {
      try {
        await dynamo.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key(event, recipient), state: 'claimed', claimedAt: now.toISOString(), [timeToLive]: Math.floor(now.getTime() / 1000) + KEEP_SECONDS },
            ConditionExpression: 'attribute_not_exists(#event) OR (#state = :claimed AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#event': partitionKey, '#state': 'state' },
            ExpressionAttributeValues: { ':claimed': 'claimed', ':stale': new Date(now.getTime() - STALE_CLAIM_MS).toISOString() },
          }),
        );
        return true;
      } catch (error) {
        if (conditionFailed(error)) return false;
        throw error;
      }
    },
    async sent(event, recipient, now) {
      await dynamo.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(event, recipient),
          UpdateExpression: 'SET #state = :sent, sentAt = :at',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sent': 'sent', ':at': now.toISOString() },
        }),
      );
    },
    async release(event, recipient) {
      try {
        // Only a claim is given back: a record of a send stays, whatever a late caller says.
        await dynamo.send(
          new DeleteCommand({
            TableName: tableName,
            Key: key(event, recipient),
            ConditionExpression: '#state = :claimed',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':claimed': 'claimed' },
          }),
        );
      } catch (error) {
        if (!conditionFailed(error)) throw error;
      }
    },
  };
}
