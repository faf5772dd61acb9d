import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { observation, submission } from '../fixtures.js';

/** Faults DynamoDB can answer with, injected; the happy paths run on dynalite in test/integration. */
const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-east-1' }));
const repository = dynamoObservationRepository(client, 'observations');

beforeEach(() => dynamo.reset());

const lostRace = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('the observation repository under DynamoDB faults', () => {
  it('lets a throttling error on the switch propagate, so the delivery is retried', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(repository.commit(submission('science', '2026-11'), [observation('sci.a', '2026-11', 1)])).rejects.toThrow('Rate exceeded');
  });

  it.each([
    ['another upload with the same bytes', { sequencer: '0B' }, 'duplicate'],
    ['this very upload, delivered twice at once', {}, 'committed'],
  ] as const)('reads the month again after losing a race to %s, and reports it %s', async (_case, winnerUpload, outcome) => {
    const winner = { ...submission('science', '2026-11'), ...winnerUpload, revision: 1, figures: [] };
    dynamo.on(GetCommand).resolvesOnce({}).resolves({ Item: winner });
    dynamo.on(PutCommand).rejects(lostRace());
    expect(await repository.commit(submission('science', '2026-11'), [observation('sci.a', '2026-11', 1)])).toEqual({ outcome, replaced: null });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(1);
  });

  it('gives up with a message naming the month when the month keeps changing', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).rejects(lostRace());
    await expect(repository.commit(submission('science', '2026-11'), [observation('sci.a', '2026-11', 1)])).rejects.toThrow(
      "science 2026-11: the month's submission kept changing during 10 attempts to commit",
    );
  });
});
