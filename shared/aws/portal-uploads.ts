import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PortalUpload, PortalUploads } from '../portal/ports.js';
import { departmentPartition, OBSERVATION_TABLE_KEY } from './observation-table.js';

/**
 * The uploads the portal granted, in the observations table beside the department's slices:
 *   pk = department#<department>  sk = upload#<uploadId>
 * Upload ids begin with the time they were made, so the sort key orders a department's uploads by time.
 */
const { partitionKey: PK, sortKey: SK } = OBSERVATION_TABLE_KEY;
const UPLOAD = 'upload#';

function portalUploadOf(item: Record<string, unknown>): PortalUpload {
  const { [PK]: _pk, [SK]: _sk, entity: _entity, ...upload } = item;
  return upload as unknown as PortalUpload;
}

export function dynamoPortalUploads(client: DynamoDBDocumentClient, tableName: string): PortalUploads {
  const key = (department: string, uploadId: string) => ({ [PK]: departmentPartition(department), [SK]: `${UPLOAD}${uploadId}` });
  return {
    async record(upload) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...upload, ...key(upload.department, upload.uploadId), entity: 'PortalUpload' },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
    },
    async list(department, limit) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :upload)',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: { ':pk': departmentPartition(department), ':upload': UPLOAD },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return Items.map(portalUploadOf);
    },
    async get(department, uploadId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key(department, uploadId), ConsistentRead: true }));
      return Item ? portalUploadOf(Item) : undefined;
    },
  };
}
