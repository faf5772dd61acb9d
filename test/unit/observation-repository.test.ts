import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoObservationRepository } from '../../shared/aws/observation-repository.js';
import { observation, submission } from '../fixtures.js';

/** Faults DynamoDB can answer with, injected; the happy paths run on dynalite in test/integration. */
const dynamo = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-east-1' }));
const repository = dynamoObservationRepository(client, 'observations', { batchAttempts: 3, baseBackoffMs: 1 });

beforeEach(() => dynamo.reset());

describe('the observation repository under DynamoDB faults', () => {
  it('fails loudly when items stay unprocessed, and never switches the month to a partial slice', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    const figures = [observation('sci.a', '2026-11', 1), observation('sci.b', '2026-11', 2)];
    await expect(repository.commit(submission('science', '2026-11'), figures)).rejects.toThrow(
      'DynamoDB left 2 observations unprocessed after 3 attempts',
    );
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(3);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('writes more than 25 observations in batches of 25', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    const figures = Array.from({ length: 30 }, (_, i) => observation(`sci.i${i}`, '2026-11', i));
    expect(await repository.commit(submission('science', '2026-11'), figures)).toBe('committed');
    const sizes = dynamo.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.observations?.length);
    expect(sizes).toEqual([25, 5]);
  });

  it('lets a throttling error other than a lost race propagate, so the delivery is retried', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(PutCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(repository.commit(submission('science', '2026-11'), [observation('sci.a', '2026-11', 1)])).rejects.toThrow('Rate exceeded');
  });
});
